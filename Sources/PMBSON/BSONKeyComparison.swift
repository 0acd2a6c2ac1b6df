/// BSON keys are compared byte for byte, as MongoDB does. Swift's `==` on
/// strings uses Unicode canonical equivalence ("é" == "e\u{301}"), which
/// would make two fields MongoDB keeps apart look like one.
@inlinable @inline(__always)
public func bsonKeysEqual(_ a: String, _ b: some StringProtocol) -> Bool {
    let au = a.utf8
    let bu = b.utf8
    guard au.count == bu.count else { return false }
    let fast = au.withContiguousStorageIfAvailable { pa in
        bu.withContiguousStorageIfAvailable { pb in
            pa.elementsEqual(pb)
        }
    }
    if let fast, let result = fast { return result }
    return au.elementsEqual(bu)
}

/// The same for a name as UTF-8 bytes and a key read in place from BSON bytes
/// (`BSONRawElement`): for the byte path, which compares every key of every document.
@inlinable @inline(__always)
public func bsonKeysEqual(_ name: [UInt8], _ key: UnsafeRawBufferPointer) -> Bool {
    guard name.count == key.count else { return false }
    return name.withUnsafeBytes { $0.elementsEqual(key) }
}
