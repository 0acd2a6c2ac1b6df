/// Thrown by a request's body read when the body did not arrive within
/// `server.body_timeout_ms` (raised by `ConnectionGuard`); the route answers 408
/// `request_timeout` (docs/API.md, "Connections").
struct RequestBodyTimeout: Error, Sendable {
    let limitMs: Int
}
