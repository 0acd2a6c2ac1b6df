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
        try flag("atomic", of: request)
    }

    /// `?report_denied=true` (update and delete by ids); anything but true/false is a 400.
    static func reportDenied(_ request: Request) throws -> Bool {
        try flag("report_denied", of: request)
    }

    /// A boolean flag: `true`/`1`, `false`/`0`/empty, absent (false); else 400.
    private static func flag(_ name: String, of request: Request) throws -> Bool {
        guard let value = request.uri.queryParameters[Substring(name)] else { return false }
        switch value.lowercased() {
        case "true", "1": return true
        case "false", "0", "": return false
        default: throw GatewayError.badRequest("\(name) must be true or false")
        }
    }
}
