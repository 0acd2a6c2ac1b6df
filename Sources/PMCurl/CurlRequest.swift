/// One HTTP request for `CurlClient`.
public struct CurlRequest: Sendable, Equatable {
    /// `http://` or `https://` URL.
    public var url: String
    /// Upper-case HTTP method (`GET`, `POST`, `PUT`, `PATCH`, ...).
    public var method: String
    /// Header fields, in order. Names and values must not contain line breaks.
    public var headers: [(name: String, value: String)]
    /// The request body (sent for any method other than `GET`).
    public var body: [UInt8]
    /// The whole transfer (connect, send, answer) must finish within this.
    public var timeoutMilliseconds: Int

    public init(
        url: String, method: String = "POST", headers: [(name: String, value: String)] = [],
        body: [UInt8] = [], timeoutMilliseconds: Int = 5000
    ) {
        self.url = url
        self.method = method
        self.headers = headers
        self.body = body
        self.timeoutMilliseconds = timeoutMilliseconds
    }

    public static func == (a: CurlRequest, b: CurlRequest) -> Bool {
        a.url == b.url && a.method == b.method && a.body == b.body && a.timeoutMilliseconds == b.timeoutMilliseconds
            && a.headers.map(\.name) == b.headers.map(\.name) && a.headers.map(\.value) == b.headers.map(\.value)
    }
}
