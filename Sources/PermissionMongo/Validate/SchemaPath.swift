/// How violations name a place in a document: `dims.w`, `tags[1]`, `lines[0].sku`.
enum SchemaPath {
    static func child(_ parent: String, _ name: String) -> String {
        parent.isEmpty ? name : parent + "." + name
    }

    static func item(_ parent: String, _ index: Int) -> String {
        parent + "[\(index)]"
    }
}
