import Testing
@testable import PMBSON

@Suite struct ObjectIdTests {
    @Test func hexRoundTrip() throws {
        let id = try #require(ObjectId(hex: "507f1f77bcf86cd799439011"))
        #expect(id.hex == "507f1f77bcf86cd799439011")
        #expect(id.high == 0x507F_1F77_BCF8_6CD7)
        #expect(id.low == 0x9943_9011)
        #expect(id.bytes == [0x50, 0x7F, 0x1F, 0x77, 0xBC, 0xF8, 0x6C, 0xD7, 0x99, 0x43, 0x90, 0x11])
        #expect(ObjectId(bytes: id.bytes) == id)
        #expect(id.timestamp == 0x507F_1F77)
        #expect(id.description == id.hex)
    }

    @Test func uppercaseHexIsAcceptedAndNormalised() {
        #expect(ObjectId(hex: "ABCDEFABCDEFABCDEFABCDEF")?.hex == "abcdefabcdefabcdefabcdef")
    }

    @Test(arguments: [
        "", "507f1f77bcf86cd79943901", "507f1f77bcf86cd7994390111", "507f1f77bcf86cd79943901g",
        "507f1f77-cf86cd799439011", " 507f1f77bcf86cd79943901", "0x507f1f77bcf86cd7994390",
        "507f1f77bcf86cd799439011507f1f77bcf86cd799439011", "ééééééééééééééééééééééé",
    ])
    func invalidHexIsRejected(text: String) {
        #expect(ObjectId(hex: text) == nil)
    }

    @Test func everyDigitInBothCasesAndEveryInputShape() {
        let lower = "0123456789abcdef01234567", upper = "0123456789ABCDEF01234567"
        let id = ObjectId(high: 0x0123_4567_89AB_CDEF, low: 0x0123_4567)
        #expect(ObjectId(hex: lower) == id && ObjectId(hex: upper) == id && id.hex == lower)
        #expect(ObjectId(hex: ("x" + lower + "y").dropFirst().dropLast()) == id, "a Substring")
        #expect(ObjectId(hexDigits: Array(upper.utf8)[...]) == id, "contiguous bytes")
        #expect(ObjectId(hexDigits: upper.utf8.lazy.map { $0 }) == id, "bytes without contiguous storage")
        #expect(ObjectId(hexDigits: (lower + "0").utf8.lazy.map { $0 }) == nil)
        // Bytes next to the digit ranges in ASCII.
        for neighbour in ["/", ":", "@", "G", "`", "g"] {
            #expect(ObjectId(hex: neighbour + lower.dropFirst()) == nil)
        }
    }

    @Test func wrongByteCountIsRejected() {
        #expect(ObjectId(bytes: [UInt8](repeating: 1, count: 11)) == nil)
        #expect(ObjectId(bytes: [UInt8](repeating: 1, count: 13)) == nil)
    }

    @Test func ordering() {
        let a = ObjectId(hex: "000000000000000000000001")!
        let b = ObjectId(hex: "000000000000000100000000")!
        #expect(a < b)
        #expect(!(b < a))
    }

    @Test func generateIsUniqueWithIncreasingCounter() {
        let ids = (0..<10_000).map { _ in ObjectId.generate(now: 1_700_000_000) }
        #expect(Set(ids).count == ids.count)
        for (previous, next) in zip(ids, ids.dropFirst()) {
            // Other tests may generate concurrently, so the step is at least 1 (mod 2^24), not exactly 1.
            let step = (next.low &- previous.low) & 0xFF_FFFF
            #expect(step >= 1 && step < 1 << 20)
            // Same second and process: only the counter differs.
            #expect(next.high == previous.high)
            #expect(next.low >> 24 == previous.low >> 24)
        }
        #expect(ids[0].timestamp == 1_700_000_000)
    }

    @Test func generateUsesTheCurrentTime() {
        let before = ObjectId.currentSeconds()
        let id = ObjectId.generate()
        let after = ObjectId.currentSeconds()
        #expect(id.timestamp >= before && id.timestamp <= after)
    }
}
