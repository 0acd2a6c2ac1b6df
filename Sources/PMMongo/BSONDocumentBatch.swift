/// Complete BSON documents laid end to end in one buffer: one allocation for a whole
/// batch instead of one per document, and `insertMany` hands the driver views into it
/// (`bson_init_static`) instead of copying each document into a `bson_t` of its own.
/// Each document starts with its own length, so no index of offsets is kept.
public struct BSONDocumentBatch: Sendable {
    public private(set) var bytes: [UInt8] = []
    public private(set) var count = 0

    public init(reservingBytes: Int = 0) {
        bytes.reserveCapacity(reservingBytes)
    }

    /// Documents given as one array each.
    public init(_ documents: [[UInt8]]) {
        self.init(reservingBytes: documents.reduce(0) { $0 + $1.count })
        for document in documents { append { $0.append(contentsOf: document) } }
    }

    public var isEmpty: Bool { count == 0 }

    /// Appends one document: `write` appends exactly its complete BSON bytes to the buffer.
    public mutating func append(_ write: (inout [UInt8]) -> Void) {
        write(&bytes)
        count += 1
    }

    /// Appends one document when `write` returns `true` (having appended exactly its
    /// complete BSON bytes); otherwise drops whatever it appended. Returns the offset
    /// where the document starts, or `nil`.
    public mutating func append(when write: (inout [UInt8]) -> Bool) -> Int? {
        let start = bytes.count
        guard write(&bytes) else {
            bytes.removeSubrange(start...)
            return nil
        }
        count += 1
        return start
    }

    /// Removes the last document, which starts at `offset` (as `append(when:)` returned it).
    public mutating func removeLast(startingAt offset: Int) {
        precondition(count > 0 && offset >= 0 && offset <= bytes.count)
        bytes.removeSubrange(offset...)
        count -= 1
    }

    /// The documents at the positions `keep` (ascending), in their order.
    public func keeping(_ keep: [Int]) -> BSONDocumentBatch {
        var kept = BSONDocumentBatch(reservingBytes: bytes.count)
        bytes.withUnsafeBufferPointer { buffer in
            var offset = 0
            var position = 0
            var next = keep.makeIterator()
            var wanted = next.next()
            while let length = Self.length(at: offset, in: buffer), let target = wanted {
                if position == target {
                    kept.append { $0.append(contentsOf: buffer[offset..<offset + length]) }
                    wanted = next.next()
                }
                offset += length
                position += 1
            }
        }
        return kept
    }

    /// The length of the document starting at `offset`, when it fits in `buffer`.
    static func length(at offset: Int, in buffer: UnsafeBufferPointer<UInt8>) -> Int? {
        guard offset >= 0, offset + 4 <= buffer.count else { return nil }
        let length = Int(buffer[offset]) | Int(buffer[offset + 1]) << 8 | Int(buffer[offset + 2]) << 16
            | Int(buffer[offset + 3]) << 24
        guard length >= 5, offset + length <= buffer.count else { return nil }
        return length
    }
}
