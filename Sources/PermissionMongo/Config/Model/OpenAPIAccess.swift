/// `server.openapi`: who may fetch `GET /openapi.json` (docs/API.md, "OpenAPI").
public enum OpenAPIAccess: String, Sendable, CaseIterable {
    /// A valid bearer token; the document holds only the collections and actions the caller may use.
    case authenticated
    /// Anyone, without a token; the whole document.
    case `public`
    /// Not served: 404.
    case off
}
