import Foundation
import PMBSON
import Testing

/// A TCP connection to a live gateway, written and read byte by byte: for the requests no
/// HTTP client sends (partial, trickled, malformed). Non-blocking: waiting sleeps the task,
/// never a thread of the shared pool.
final class RawConnection: @unchecked Sendable {
    struct ConnectFailed: Error {}

    private let fd: Int32
    private var received: [UInt8] = []
    private(set) var closedByGateway = false
    private var hungUp = false

    /// Connects to `localhost:port`, as the live test server binds.
    init(port: Int) throws {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo("localhost", String(port), &hints, &list) == 0, let first = list else { throw ConnectFailed() }
        defer { freeaddrinfo(list) }
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        while let address = candidate {
            let fd = socket(address.pointee.ai_family, address.pointee.ai_socktype, address.pointee.ai_protocol)
            if fd >= 0, connect(fd, address.pointee.ai_addr, address.pointee.ai_addrlen) == 0 {
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
                self.fd = fd
                return
            }
            if fd >= 0 { close(fd) }
            candidate = address.pointee.ai_next
        }
        throw ConnectFailed()
    }

    deinit { hangUp() }

    /// Closes the connection from this side (again: no effect).
    func hangUp() {
        if !hungUp { close(fd) }
        hungUp = true
    }

    /// Sends all of `bytes`; false once the gateway closed the connection.
    @discardableResult
    func send(_ bytes: [UInt8]) async -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent > 0 {
                offset += sent
            } else if sent < 0, errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR {
                try? await Task.sleep(for: .milliseconds(5))
            } else {
                closedByGateway = true
                return false
            }
        }
        return true
    }

    @discardableResult
    func send(_ text: String) async -> Bool { await send(Array(text.utf8)) }

    /// Sends `bytes` one at a time, `interval` apart, until all are sent or the gateway
    /// answered or closed; how many were sent.
    func trickle(_ bytes: [UInt8], every interval: Duration) async -> Int {
        for (index, byte) in bytes.enumerated() {
            drain()
            if closedByGateway || !received.isEmpty { return index }
            guard await send([byte]) else { return index }
            try? await Task.sleep(for: interval)
        }
        return bytes.count
    }

    /// Everything read until the gateway closed the connection or `limit` passed.
    func readUntilClosed(within limit: Duration) async -> [UInt8] {
        let end = ContinuousClock.now + limit
        while !closedByGateway, ContinuousClock.now < end {
            if !drain() { try? await Task.sleep(for: .milliseconds(10)) }
        }
        return received
    }

    /// The first `count` complete responses, once read (nil if they did not come within `limit`).
    func readResponses(_ count: Int = 1, within limit: Duration) async -> [RawResponse]? {
        let end = ContinuousClock.now + limit
        while ContinuousClock.now < end {
            let responses = RawResponse.parseAll(received)
            if responses.count >= count { return responses }
            if closedByGateway { return nil }
            if !drain() { try? await Task.sleep(for: .milliseconds(10)) }
        }
        return nil
    }

    /// Reads what is there without waiting; false when nothing was.
    @discardableResult
    private func drain() -> Bool {
        var buffer = [UInt8](repeating: 0, count: 65536)
        var any = false
        while !closedByGateway {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                received += buffer[..<count]
                any = true
            } else if count < 0, errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR {
                break
            } else {
                closedByGateway = true  // end of stream, or reset
            }
        }
        return any
    }
}

/// One HTTP/1.1 response as read from a `RawConnection`.
struct RawResponse: Sendable {
    var status: Int
    /// Header names in lower case.
    var headers: [String: String]
    var body: String

    /// The complete responses at the start of `bytes` (bodies by `Content-Length`).
    static func parseAll(_ bytes: [UInt8]) -> [RawResponse] {
        var responses: [RawResponse] = []
        var rest = bytes[...]
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        while let headEnd = rest.firstRange(of: separator) {
            let head = String(decoding: rest[rest.startIndex ..< headEnd.lowerBound], as: UTF8.self)
            var lines = head.components(separatedBy: "\r\n")
            let statusLine = lines.removeFirst().split(separator: " ")
            guard statusLine.count >= 2, let status = Int(statusLine[1]) else { break }
            var headers: [String: String] = [:]
            for line in lines {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            let length = headers["content-length"].flatMap(Int.init) ?? 0
            guard rest.endIndex - headEnd.upperBound >= length else { break }
            let bodyEnd = headEnd.upperBound + length
            responses.append(RawResponse(
                status: status, headers: headers, body: String(decoding: rest[headEnd.upperBound ..< bodyEnd], as: UTF8.self)))
            rest = rest[bodyEnd...]
        }
        return responses
    }
}

extension RawResponse {
    var json: BSONDocument { (try? JSONReader.parseDocument(Array(body.utf8))) ?? BSONDocument() }

    /// `{"error":{"code",...},"meta":{"request_id"}}` with `X-Request-Id` equal to `meta.request_id`
    /// and the connection closed after it.
    func expectEnvelope(_ status: Int, _ code: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(self.status == status, "\(body)", sourceLocation: sourceLocation)
        #expect(json.document("error")?.string("code") == code, "\(body)", sourceLocation: sourceLocation)
        #expect(json.document("error")?.string("message")?.isEmpty == false, sourceLocation: sourceLocation)
        let requestId = json.document("meta")?.string("request_id")
        #expect(requestId != nil && headers["x-request-id"] == requestId, "\(headers)", sourceLocation: sourceLocation)
        #expect(headers["content-type"] == "application/json; charset=utf-8", sourceLocation: sourceLocation)
    }

    var message: String { json.document("error")?.string("message") ?? "" }
}

extension RawConnection {
    /// How long a test waits for the gateway: bounds the test, not the gateway.
    static let patience = Duration.seconds(20)

    func firstResponse(sourceLocation: SourceLocation = #_sourceLocation) async throws -> RawResponse {
        try #require(await readResponses(within: Self.patience)?.first, sourceLocation: sourceLocation)
    }

    /// Expects the gateway to close the connection; everything read.
    @discardableResult
    func expectClosed(sourceLocation: SourceLocation = #_sourceLocation) async -> [UInt8] {
        let received = await readUntilClosed(within: Self.patience)
        #expect(closedByGateway, "\(String(decoding: received, as: UTF8.self))", sourceLocation: sourceLocation)
        return received
    }
}

/// Request heads as raw text.
enum RawRequest {
    static let healthz = "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n"

    /// `POST /products` as JSON with `token` and more header lines, up to the blank line.
    static func postProducts(token: String?, _ headers: String...) -> String {
        var lines = ["POST /products HTTP/1.1", "Host: localhost", "Content-Type: application/json"]
        if let token { lines.append("Authorization: Bearer \(token)") }
        return (lines + headers).joined(separator: "\r\n") + "\r\n\r\n"
    }
}
