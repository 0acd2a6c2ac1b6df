/// Complete BSON documents laid end to end in one buffer: one allocation for a whole
/// batch instead of one per document, and `insertMany` hands the driver views into it
/// (`bson_init_static`) instead of copying each document into a `bson_t` of its own.
public struct BSONDocumentBatch: Sendable {
    public private(set) var bytes: [UInt8] = []
    /// Where each document starts in `bytes`.
    public private(set) var offsets: [Int] = []

    public init(reservingBytes: Int = 0, documents: Int = 0) {
        bytes.reserveCapacity(reservingBytes)
        offsets.reserveCapacity(documents)
    }

    /// Documents given as one array each.
    public init(_ documents: [[UInt8]]) {
        self.init(reservingBytes: documents.reduce(0) { $0 + $1.count }, documents: documents.count)
        for document in documents { append { $0.append(contentsOf: document) } }
    }

    public var count: Int { offsets.count }
    public var isEmpty: Bool { offsets.isEmpty }

    /// Appends one document: `write` appends exactly its complete BSON bytes to the buffer.
    public mutating func append(_ write: (inout [UInt8]) -> Void) {
        offsets.append(bytes.count)
        write(&bytes)
    }

    /// The byte range of document `index`.
    func range(of index: Int) -> Range<Int> {
        offsets[index]..<(index + 1 < offsets.count ? offsets[index + 1] : bytes.count)
    }
}
