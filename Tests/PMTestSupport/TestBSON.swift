import CMongoC

/// BSON bytes for tests, through libbson's extended-JSON reader/writer
/// (test code does not depend on PMBSON).
public enum TestBSON {
    public struct InvalidJSON: Error, CustomStringConvertible {
        public var description: String
    }

    /// One complete BSON document from (extended) JSON, e.g. `{"_id": 1, "a": {"$numberLong": "2"}}`.
    public static func document(_ json: String) throws -> [UInt8] {
        var error = bson_error_t()
        let utf8 = Array(json.utf8)
        let parsed = utf8.withUnsafeBufferPointer { buffer in
            bson_new_from_json(buffer.baseAddress, buffer.count, &error)
        }
        guard let parsed else {
            let message = withUnsafeBytes(of: &error.message) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            throw InvalidJSON(description: "invalid JSON for BSON: \(message): \(json)")
        }
        defer { bson_destroy(parsed) }
        return Array(UnsafeBufferPointer(start: bson_get_data(parsed), count: Int(pm_bson_length(parsed))))
    }

    /// Relaxed extended JSON of one BSON document (nil when the bytes are not a document).
    public static func json(_ bytes: [UInt8]) -> String? {
        guard bytes.count >= 5,
              let document = bytes.withUnsafeBufferPointer({ bson_new_from_data($0.baseAddress, $0.count) })
        else { return nil }
        defer { bson_destroy(document) }
        var length = 0
        guard let text = bson_as_relaxed_extended_json(document, &length) else { return nil }
        defer { bson_free(text) }
        return String(cString: text)
    }
}
