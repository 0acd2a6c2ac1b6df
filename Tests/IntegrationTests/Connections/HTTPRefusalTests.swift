import Foundation
import Testing

/// Requests the HTTP layer refuses before any route, sent on raw sockets: each is a 4xx in
/// the error envelope with `X-Request-Id` (equal to `meta.request_id`), `Connection: close`,
/// and the connection is closed after it. Malformed bodies of routed requests are the
/// route's 400 (a bad chunk size) or 413 (a chunked body past `max_body_bytes`), never 500.
@Suite struct HTTPRefusalTests {
    struct Refused: Sendable {
        var name: String
        var request: [UInt8]
        var status: Int
        var code: String
        var message: String

        init(_ name: String, _ request: String, _ status: Int, _ message: String, code: String = "bad_request") {
            self.name = name
            self.request = Array(request.utf8)
            self.status = status
            self.code = code
            self.message = message
        }
    }

    static let big = String(repeating: "a", count: 90 * 1024)
    static let tooLarge = "the request line and headers exceed 81920 bytes or 1000 fields"
    static let framing = "malformed HTTP request: request line, headers or message framing"
    static let transferCoding = "Transfer-Encoding must be chunked, without other codings"

    static let refused: [Refused] = [
        Refused("headers over the limit", "GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Big: \(big)\r\n\r\n", 431, tooLarge, code: "headers_too_large"),
        Refused("an over-long URL", "GET /healthz?q=\(big) HTTP/1.1\r\nHost: localhost\r\n\r\n", 431, tooLarge, code: "headers_too_large"),
        Refused(
            "Content-Length twice",
            "POST /products HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}", 400,
            "Content-Length sent twice, or together with Transfer-Encoding"),
        Refused(
            "Content-Length beside Transfer-Encoding",
            "POST /products HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n", 400, framing),
        Refused(
            "Transfer-Encoding twice",
            "POST /products HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400, framing),
        Refused("a Content-Length that is no number", "POST /products HTTP/1.1\r\nHost: localhost\r\nContent-Length: two\r\n\r\n{}", 400,
            "invalid Content-Length"),
        Refused("a bad request line", "GARBAGE\r\n\r\n", 400, "unknown HTTP method"),
        Refused("an HTTP version not served", "GET /healthz HTTP/2.0\r\nHost: localhost\r\n\r\n", 400,
            "malformed request line or unsupported HTTP version (HTTP/1.0 and HTTP/1.1 are served)"),
        Refused("an unknown method", "FOO /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n", 400, "unknown HTTP method"),
        Refused("a malformed header", "GET /healthz HTTP/1.1\r\nHost : localhost\r\n\r\n", 400, "malformed header field"),
        Refused(
            "Transfer-Encoding gzip, chunked",
            "POST /products HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: gzip, chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n", 400, transferCoding),
        Refused("Transfer-Encoding gzip", "POST /products HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: gzip\r\n\r\n{}", 400, transferCoding),
    ]

    /// One gateway for the whole table (a gateway per case would only add start-ups), a
    /// connection per case.
    @Test func refusedBeforeRoutingInTheEnvelope() async throws {
        try await GatewayHarness.with { api in
            let port = try #require(api.client.port)
            for refusal in Self.refused {
                let connection = try RawConnection(port: port)
                await connection.send(refusal.request)
                let response = try await connection.firstResponse()
                response.expectEnvelope(refusal.status, refusal.code)
                #expect(response.message == refusal.message, "\(refusal.name)")
                #expect(response.headers["connection"] == "close", "\(refusal.name)")
                let received = await connection.expectClosed()
                #expect(RawResponse.parseAll(received).count == 1, "\(refusal.name)")
            }
        }
    }

    @Test func aClientsRequestIdIsEchoedOnARefusedTransferCoding() async throws {
        try await GatewayHarness.with { api in
            let token = try await api.token()
            let connection = try RawConnection(port: try #require(api.client.port))
            let document = #"{"name":"Zipped","price":1}"#
            await connection.send(
                RawRequest.postProducts(token: token, "X-Request-Id: zipped-1", "Transfer-Encoding: gzip, chunked")
                    + String(document.utf8.count, radix: 16) + "\r\n\(document)\r\n0\r\n\r\n")
            let response = try await connection.firstResponse()
            response.expectEnvelope(400, "bad_request")
            #expect(response.headers["x-request-id"] == "zipped-1")
            #expect(response.message == "Transfer-Encoding must be chunked, without other codings")
            #expect(try await api.get("/products", token: token).json.int("count") == 0)
        }
    }

    @Test func aBadChunkSizeIsTheRoutes400() async throws {
        try await GatewayHarness.with { api in
            let token = try await api.token()
            let connection = try RawConnection(port: try #require(api.client.port))
            await connection.send(
                RawRequest.postProducts(token: token, "X-Request-Id: bad-chunk-1", "Transfer-Encoding: chunked") + "zz\r\n{}\r\n0\r\n\r\n")
            let response = try await connection.firstResponse()
            response.expectEnvelope(400, "bad_request")
            #expect(response.headers["x-request-id"] == "bad-chunk-1")
            #expect(response.message == "malformed chunked body: invalid chunk size")
            #expect(response.headers["connection"] == "close")
            await connection.expectClosed()
        }
    }

    /// The route answered (401) before reading the body: the malformed body that follows
    /// gets no second answer, the connection is closed.
    @Test func aBadChunkAfterTheAnswerClosesTheConnectionWithoutASecondAnswer() async throws {
        try await GatewayHarness.with { api in
            let connection = try RawConnection(port: try #require(api.client.port))
            await connection.send(RawRequest.postProducts(token: nil, "Transfer-Encoding: chunked") + "zz\r\n{}\r\n0\r\n\r\n")
            let received = await connection.expectClosed()
            let responses = RawResponse.parseAll(received)
            #expect(responses.count == 1)
            responses.first?.expectEnvelope(401, "unauthorized")
        }
    }

    @Test func aChunkedBodyPastTheLimitIs413() async throws {
        try await GatewayHarness.with { api in
            let token = try await api.token()
            let connection = try RawConnection(port: try #require(api.client.port))
            let chunk = String(repeating: " ", count: 16 * 1024)
            let chunks = String(repeating: "4000\r\n\(chunk)\r\n", count: 5)  // 80 KiB > max_body_bytes 65536
            await connection.send(
                RawRequest.postProducts(token: token, "X-Request-Id: big-chunked-1", "Transfer-Encoding: chunked") + "\(chunks)0\r\n\r\n")
            let response = try await connection.firstResponse()
            response.expectEnvelope(413, "payload_too_large")
            #expect(response.headers["x-request-id"] == "big-chunked-1")
            #expect(response.json.document("error")?.document("details")?.int("max_body_bytes") == 65536)
        }
    }

    @Test func aRefusalFollowsTheAnswersToEarlierPipelinedRequests() async throws {
        try await GatewayHarness.with { api in
            let connection = try RawConnection(port: try #require(api.client.port))
            await connection.send(RawRequest.healthz + RawRequest.healthz + "FOO / HTTP/1.1\r\n\r\n")
            let received = await connection.expectClosed()
            let responses = RawResponse.parseAll(received)
            #expect(responses.map(\.status) == [200, 200, 400])
            responses.last?.expectEnvelope(400, "bad_request")
            #expect(responses.last?.message == "unknown HTTP method")
        }
    }
}
