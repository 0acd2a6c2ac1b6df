import NIOCore
import PMBSON

/// The documents of a `POST /{collection}/batch` body as BSON bytes: the body is
/// transcoded once (JSON → BSON, no value model) and each document is a view into it.
/// Same checks and errors as `JSONBody.parse` + `CreateBatchPlan`: a body whose shape
/// the quick check does not accept is decoded and given to `CreateBatchPlan`, which
/// reports what is wrong.
struct EncodedCreateBatch: Sendable {
    /// The whole body as one BSON document.
    let bson: [UInt8]
    /// Where each document of `documents` starts in `bson`, in request order.
    let offsets: [Int]

    var count: Int { offsets.count }

    enum Parsed {
        case encoded(EncodedCreateBatch)
        /// The model path's reading of a body the quick check did not accept.
        case model(CreateBatchPlan)
    }

    static func parse(_ buffer: ByteBuffer, maxBatchSize: Int) throws -> Parsed {
        try buffer.withUnsafeReadableBytes { try parse(json: $0, maxBatchSize: maxBatchSize) }
    }

    static func parse(json: UnsafeRawBufferPointer, maxBatchSize: Int) throws -> Parsed {
        var bson: [UInt8] = []
        bson.reserveCapacity(json.count + 64)
        do {
            try JSONReader.transcodeDocument(json, into: &bson)
        } catch {
            throw DomainError.invalidRequest("request body is not valid JSON: \(error.message)")
        }
        if let offsets = documentOffsets(bson, maxBatchSize: maxBatchSize) {
            return .encoded(EncodedCreateBatch(bson: bson, offsets: offsets))
        }
        let body = try BSONDocument(bsonBytes: bson)
        return .model(try CreateBatchPlan(body: body, maxBatchSize: maxBatchSize))
    }

    /// `{"documents": [ {…}, … ]}` with 1 ... `maxBatchSize` objects and nothing else; `nil` otherwise.
    private static func documentOffsets(_ bson: [UInt8], maxBatchSize: Int) -> [Int]? {
        bson.withUnsafeBytes { bytes -> [Int]? in
            guard var body = BSONElementCursor(bytes), let only = body.next(), body.next() == nil, !body.isMalformed,
                  only.type == BSONTypeCode.array,
                  UnsafeRawBufferPointer(rebasing: bytes[only.keyStart..<only.keyEnd]).elementsEqual("documents".utf8),
                  var items = BSONElementCursor(document: only.valueStart, in: bytes)
            else { return nil }
            var offsets: [Int] = []
            while let item = items.next() {
                guard item.type == BSONTypeCode.document, offsets.count < maxBatchSize else { return nil }
                offsets.append(item.valueStart)
            }
            guard !items.isMalformed, !offsets.isEmpty else { return nil }
            return offsets
        }
    }

    /// The client document `index` as a value, for the model path.
    func document(_ index: Int) throws -> BSONDocument {
        try bson.withUnsafeBytes { bytes in
            let start = offsets[index]
            let length = Int(Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: start, as: Int32.self)))
            return try BSONDocument(bsonBytes: UnsafeRawBufferPointer(rebasing: bytes[start..<(start + length)]))
        }
    }

    /// Every document as a value.
    func documents() throws -> [BSONDocument] {
        try offsets.indices.map(document)
    }
}

private extension BSONElementCursor {
    init?(_ bytes: UnsafeRawBufferPointer) { self.init(document: 0, in: bytes) }
}
