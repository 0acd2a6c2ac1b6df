/// Strict RFC 8259 JSON reader that parses UTF-8 bytes straight into the BSON
/// model, with no intermediate JSON tree.
///
/// Rejected: invalid UTF-8 (overlong forms, UTF-8-encoded surrogates, code
/// points above U+10FFFF), unpaired surrogate escapes, raw control characters
/// in strings, leading zeros, `NaN`/`Infinity`, numbers too large for a
/// double, trailing commas, comments, a byte-order mark, duplicate keys in one
/// object, keys containing U+0000 (BSON keys are C strings; string *values*
/// may contain it), nesting deeper than `maxDepth` (objects and arrays count,
/// the top-level container is depth 1), and anything after the value.
///
/// Numbers: without fraction or exponent, `.int32` when it fits, else `.int64`
/// when it fits, else `.double`; with `.` or `e`/`E`, always `.double`.
///
/// MongoDB Extended JSON is *not* interpreted: `{"$oid": "…"}` stays a plain
/// document.
///
/// `transcodeDocument` (JSONTranscoder.swift) reads the same language straight
/// to BSON bytes, without the model.
public enum JSONReader {
    public static let defaultMaxDepth = 64

    /// Parses a JSON text whose top-level value must be an object.
    public static func parseDocument(_ bytes: UnsafeRawBufferPointer, maxDepth: Int = defaultMaxDepth) throws(JSONError) -> BSONDocument {
        var parser = JSONParser(bytes: bytes, maxDepth: maxDepth, sink: JSONDocumentBuilder())
        return try parser.parseTopLevelDocument()
    }

    public static func parseDocument(_ bytes: [UInt8], maxDepth: Int = defaultMaxDepth) throws(JSONError) -> BSONDocument {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(JSONError) in try parseDocument(buffer, maxDepth: maxDepth) }
        }
        return try result.get()
    }

    public static func parseDocument(_ string: String, maxDepth: Int = defaultMaxDepth) throws(JSONError) -> BSONDocument {
        let result = withUTF8(of: string) { buffer in
            Result { () throws(JSONError) in try parseDocument(buffer, maxDepth: maxDepth) }
        }
        return try result.get()
    }

    /// Parses a JSON text holding any single value (object, array, string,
    /// number, `true`, `false` or `null`).
    public static func parseValue(_ bytes: UnsafeRawBufferPointer, maxDepth: Int = defaultMaxDepth) throws(JSONError) -> BSON {
        var parser = JSONParser(bytes: bytes, maxDepth: maxDepth, sink: JSONDocumentBuilder())
        return try parser.parseTopLevelValue()
    }

    public static func parseValue(_ bytes: [UInt8], maxDepth: Int = defaultMaxDepth) throws(JSONError) -> BSON {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(JSONError) in try parseValue(buffer, maxDepth: maxDepth) }
        }
        return try result.get()
    }

    public static func parseValue(_ string: String, maxDepth: Int = defaultMaxDepth) throws(JSONError) -> BSON {
        let result = withUTF8(of: string) { buffer in
            Result { () throws(JSONError) in try parseValue(buffer, maxDepth: maxDepth) }
        }
        return try result.get()
    }

    private static func withUTF8<R>(of string: String, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        if let result = string.utf8.withContiguousStorageIfAvailable({ body(UnsafeRawBufferPointer($0)) }) {
            return result
        }
        return Array(string.utf8).withUnsafeBytes(body)
    }
}
