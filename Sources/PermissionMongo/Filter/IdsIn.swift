import PMBSON

/// Conditions on many ids, `{$in: [...]}` of at most 100 ids each: MongoDB takes any number,
/// but some backends (SecantusDB) are slow on long `$in` lists, and short ones keep every
/// query small. Queries by ids, re-reads in a transaction, deletes by ids and version
/// lookups all go through here.
enum IdsIn {
    static let chunkSize = 100

    /// One `{$in: chunk}` condition per chunk of `ids`, in order.
    static func conditions(_ ids: [BSON]) -> [BSON] {
        stride(from: 0, to: ids.count, by: chunkSize).map { start in
            .document(BSONDocument(["$in": .array(Array(ids[start..<min(start + chunkSize, ids.count)]))]))
        }
    }
}
