import PMMongo
import Testing

@Suite("BSONDocumentBatch")
struct BSONDocumentBatchTests {
    /// `{"i": n}` as BSON bytes.
    static func document(_ n: Int32) -> [UInt8] {
        let value = withUnsafeBytes(of: n.littleEndian, Array.init)
        let body: [UInt8] = [0x10, 0x69, 0x00] + value + [0x00]  // int32 "i", then the end
        return withUnsafeBytes(of: Int32(body.count + 4).littleEndian, Array.init) + body
    }

    @Test func keepingTakesTheDocumentsAtThePositionsGivenInOrder() {
        let documents = (0..<4).map { Self.document(Int32($0)) }
        let batch = BSONDocumentBatch(documents)
        #expect(batch.count == 4)

        let kept = batch.keeping([0, 2, 3])
        #expect(kept.count == 3)
        #expect(kept.bytes == documents[0] + documents[2] + documents[3])

        #expect(batch.keeping([1]).bytes == documents[1])
        #expect(batch.keeping([]).isEmpty)
        #expect(batch.keeping([0, 1, 2, 3]).bytes == batch.bytes)
        #expect(batch.keeping([7]).isEmpty)  // past the end: nothing
    }
}
