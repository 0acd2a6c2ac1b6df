extension BSONDocument {
    /// The first top-level value under `key` in a document's BSON bytes, decoding only that
    /// value (e.g. a stored document's `_id`); nil when the key is absent or the bytes are
    /// not a document.
    public static func topLevelValue(_ key: String, inBSON bytes: [UInt8]) -> BSON? {
        let wanted = Array(key.utf8)
        return bytes.withUnsafeBytes { raw -> BSON? in
            guard var cursor = BSONElementCursor(document: 0, in: raw) else { return nil }
            while let element = cursor.next() {
                guard bsonKeysEqual(wanted, UnsafeRawBufferPointer(rebasing: raw[element.keyStart..<element.keyEnd]))
                else { continue }
                return try? BSON(decoding: element, in: raw)
            }
            return nil
        }
    }
}
