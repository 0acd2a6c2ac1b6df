import HTTPTypes
import NIOCore
import NIOHTTPTypes
import PMBSON

/// The answer a connection writes itself, before any route (docs/API.md, "Refused before
/// routing"): the error envelope with `X-Request-Id`, and `Connection: close`.
enum RefusalResponse {
    static func parts(_ error: GatewayError, requestId: String) -> [HTTPResponsePart] {
        var bytes = [UInt8]()
        JSONWriter.write(error.envelope(requestId: requestId), into: &bytes)
        var head = HTTPResponse(status: error.status)
        head.headerFields[.contentType] = "application/json; charset=utf-8"
        head.headerFields[.contentLength] = String(bytes.count)
        head.headerFields[.connection] = "close"
        head.headerFields[.requestId] = requestId
        return [.head(head), .body(ByteBuffer(bytes: bytes)), .end(nil)]
    }
}
