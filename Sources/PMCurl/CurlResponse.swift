/// The answer to a `CurlRequest` that reached the server.
public struct CurlResponse: Sendable, Equatable {
    /// The HTTP status code.
    public var status: Int
    /// The first `CurlClient.maxBodyBytes` bytes of the body.
    public var body: [UInt8]
    /// From hand-over to libcurl until the answer was complete.
    public var duration: Duration
    /// The response's header fields by lower-cased name; a repeated field's values are
    /// joined with ", ".
    public var headers: [String: String]

    public init(status: Int, body: [UInt8], duration: Duration, headers: [String: String] = [:]) {
        self.status = status
        self.body = body
        self.duration = duration
        self.headers = headers
    }

    /// 200–299.
    public var isSuccess: Bool { (200...299).contains(status) }
}
