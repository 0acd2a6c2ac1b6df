import PMBSON
import PMCurl

/// The gateway over HTTP (libcurl): bearer token, JSON bodies, whole answers (up to 64 MiB).
/// Call `shutdown()` when done, or use `GatewayHTTP.using`.
public final class GatewayHTTP: Sendable {
    public static let maxResponseBytes = 64 * 1024 * 1024

    /// Without a trailing slash, e.g. `http://127.0.0.1:8080`.
    public let baseURL: String
    private let token: String
    private let timeoutMilliseconds: Int
    public var timeoutSeconds: Double { Double(timeoutMilliseconds) / 1000 }
    private let curl: CurlClient

    /// - Parameters:
    ///   - url: the gateway, `http://host:port` (a path prefix is kept).
    ///   - maxConcurrent: requests in flight at once.
    ///   - timeoutSeconds: per request, from connecting to the last byte of the answer.
    public init(url: String, token: String, maxConcurrent: Int = 4, timeoutSeconds: Double = 120) throws(ClientError) {
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw .usage("--url must start with http:// or https:// (got \"\(url)\")")
        }
        guard !token.isEmpty else {
            throw .usage("a token is needed: pass --token or set PM_TOKEN")
        }
        guard timeoutSeconds > 0 else { throw .usage("--timeout must be more than 0 seconds") }
        var base = url
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.token = token
        self.timeoutMilliseconds = Int((timeoutSeconds * 1000).rounded(.up))
        do {
            self.curl = try CurlClient(maxConcurrent: maxConcurrent, maxBodyBytes: Self.maxResponseBytes)
        } catch {
            throw .transport(url: base, detail: error.message)
        }
    }

    /// Runs `body` with a client and shuts it down afterwards, whatever happens.
    public static func using<T: Sendable>(
        url: String, token: String, maxConcurrent: Int = 4, timeoutSeconds: Double = 120,
        _ body: (GatewayHTTP) async throws -> T
    ) async throws -> T {
        let http = try GatewayHTTP(url: url, token: token, maxConcurrent: maxConcurrent, timeoutSeconds: timeoutSeconds)
        do {
            let result = try await body(http)
            await http.shutdown()
            return result
        } catch {
            await http.shutdown()
            throw error
        }
    }

    /// Sends a request to `baseURL + path` with `extraHeaders`; any status is returned
    /// except 401, which throws.
    public func send(
        _ method: String, _ path: String, json body: [UInt8]? = nil, headers extraHeaders: [(name: String, value: String)] = []
    ) async throws(ClientError) -> GatewayReply {
        let url = baseURL + path
        var headers: [(name: String, value: String)] = [("Authorization", "Bearer \(token)"), ("Accept", "application/json")]
        if body != nil { headers.append(("Content-Type", "application/json")) }
        headers += extraHeaders
        let request = CurlRequest(
            url: url, method: method, headers: headers, body: body ?? [], timeoutMilliseconds: timeoutMilliseconds)
        let response: CurlResponse
        do {
            response = try await curl.perform(request)
        } catch {
            switch error.kind {
            case .connectionRefused: throw .unreachable(url: baseURL, detail: error.message)
            case .timeout: throw .timeout(url: baseURL, seconds: Double(timeoutMilliseconds) / 1000)
            case .shutdown, .other: throw .transport(url: url, detail: error.message)
            }
        }
        guard response.body.count < Self.maxResponseBytes else {
            throw .transport(url: url, detail: "the answer is larger than the client's limit of \(Self.maxResponseBytes / 1024 / 1024) MiB")
        }
        let reply = GatewayReply(status: response.status, body: response.body, headers: response.headers)
        if reply.status == 401 {
            throw .unauthorized(message: reply.errorEnvelope?.message ?? "no reason given")
        }
        return reply
    }

    /// POSTs a JSON document, with an `Idempotency-Key` when one is given.
    public func post(_ path: String, _ document: BSONDocument, idempotencyKey: IdempotencyKey? = nil) async throws(ClientError) -> GatewayReply {
        try await send("POST", path, json: document.jsonBytes, headers: idempotencyKey.map { [$0.header] } ?? [])
    }

    public func shutdown() async {
        await curl.shutdown()
    }

    /// `name` made safe for one URL path segment (collection names normally need nothing).
    public static func pathSegment(_ name: String) -> String {
        var out = ""
        for byte in name.utf8 {
            let scalar = Unicode.Scalar(byte)
            if byte < 0x80, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "-._~".unicodeScalars.contains(scalar) {
                out.unicodeScalars.append(scalar)
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }
}
