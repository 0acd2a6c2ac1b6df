import CMongoC

extension TestBSON {
    /// Canonical extended JSON of one BSON document (keeps int32 / int64 / double apart,
    /// `{"$numberInt":"1"}`), for failure messages; nil when the bytes are not a document.
    public static func canonicalJSON(_ bytes: [UInt8]) -> String? {
        guard bytes.count >= 5,
              let document = bytes.withUnsafeBufferPointer({ bson_new_from_data($0.baseAddress, $0.count) })
        else { return nil }
        defer { bson_destroy(document) }
        var length = 0
        guard let text = bson_as_canonical_extended_json(document, &length) else { return nil }
        defer { bson_free(text) }
        return String(cString: text)
    }
}
