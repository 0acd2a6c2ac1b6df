/// Why a document does not satisfy its collection's schema.
public struct SchemaViolation: Error, Sendable, Equatable, CustomStringConvertible {
    /// Where: `price`, `dims.w`, `tags[1]`.
    public var path: String
    /// The client-facing message, naming the path: `price must be at least 0`.
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { message }
}

/// How violations name a place in a document: `dims.w`, `tags[1]`, `lines[0].sku`.
enum SchemaPath {
    static func child(_ parent: String, _ name: String) -> String {
        parent.isEmpty ? name : parent + "." + name
    }

    static func item(_ parent: String, _ index: Int) -> String {
        parent + "[\(index)]"
    }
}
