/// Collection names double as URL path segments and MongoDB collection names.
enum CollectionName {
    /// Names that would collide with the gateway's own routes or collections.
    static let reserved: Set<String> = ["batch", "healthz", "readyz", "metrics", "_collections", "_hooks"]

    /// Why `name` cannot be a collection, or `nil` when it can.
    static func problem(with name: String) -> String? {
        guard let first = name.unicodeScalars.first else { return "collection name must not be empty" }
        let allowed = name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-"
        }
        if !allowed || ("0"..."9").contains(first) || first == "-" {
            return "collection name must start with a letter or _ and contain only letters, digits, _ and -"
        }
        if name.hasPrefix("_pm_") || name.hasPrefix("system") || reserved.contains(name) {
            return "collection name \"\(name)\" is reserved"
        }
        if name.utf8.count > 120 { return "collection name is too long (at most 120 bytes)" }
        return nil
    }
}
