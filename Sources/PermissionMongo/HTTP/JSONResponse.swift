import Hummingbird
import NIOCore
import PMBSON

/// Responses with JSON bodies written by PMBSON's writer (ObjectIds as hex, dates as ISO-8601).
enum JSONResponse {
    static func make(_ status: HTTPResponse.Status, _ body: BSONDocument) -> Response {
        var bytes = [UInt8]()
        bytes.reserveCapacity(256)
        JSONWriter.write(body, into: &bytes)
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes))
        )
    }

    static func error(_ error: GatewayError, requestId: String) -> Response {
        var response = make(error.status, error.envelope(requestId: requestId))
        if let seconds = error.retryAfter { response.headers[.retryAfter] = String(seconds) }
        return response
    }

    static func noContent() -> Response {
        Response(status: .noContent)
    }
}
