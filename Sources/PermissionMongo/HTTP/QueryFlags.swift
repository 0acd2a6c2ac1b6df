import Hummingbird

/// Query-string values shared by the routes.
enum QueryFlags {
    static func parameters(_ request: Request) -> [String: String] {
        var out: [String: String] = [:]
        for (key, value) in request.uri.queryParameters {
            out[String(key)] = String(value)
        }
        return out
    }

    /// `?atomic=true`; anything but true/false is a 400.
    static func atomic(_ request: Request) throws -> Bool {
        guard let value = request.uri.queryParameters["atomic"] else { return false }
        switch value.lowercased() {
        case "true", "1": return true
        case "false", "0", "": return false
        default: throw GatewayError.badRequest("atomic must be true or false")
        }
    }
}
