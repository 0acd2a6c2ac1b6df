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
