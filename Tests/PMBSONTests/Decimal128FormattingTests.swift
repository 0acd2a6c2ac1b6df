import Testing
@testable import PMBSON

/// Vectors from the BSON decimal128 specification and its test corpus.
@Suite struct Decimal128FormattingTests {
    @Test(arguments: [
        (UInt64(0x3040_0000_0000_0000), UInt64(0), "0"),
        (0xB040_0000_0000_0000, 0, "-0"),
        (0x3040_0000_0000_0000, 1, "1"),
        (0xB040_0000_0000_0000, 1, "-1"),
        (0x303E_0000_0000_0000, 1, "0.1"),
        (0x303C_0000_0000_0000, 100, "1.00"),
        (0x3034_0000_0000_0000, 1234, "0.001234"),
        (0x302C_0000_0000_0000, 1234, "1.234E-7"),
        (0x3046_0000_0000_0000, 1, "1E+3"),
        (0x3040_0000_0000_0000, 123_456_789_012, "123456789012"),
        (0x3034_0000_0000_0000, 1, "0.000001"),
        (0x3032_0000_0000_0000, 1, "1E-7"),
        (0x3030_0000_0000_0000, 1, "1E-8"),
        (0x3041_ED09_BEAD_87C0, 0x378D_8E63_FFFF_FFFF, "9999999999999999999999999999999999"),
        (0x5FFF_ED09_BEAD_87C0, 0x378D_8E63_FFFF_FFFF, "9." + String(repeating: "9", count: 33) + "E+6144"),
        (0x0000_0000_0000_0000, 1, "1E-6176"),
        (0x7C00_0000_0000_0000, 0, "NaN"),
        (0xFC00_0000_0000_0000, 0, "NaN"),
        (0x7E00_0000_0000_0000, 0, "NaN"),  // sNaN
        (0x7800_0000_0000_0000, 0, "Infinity"),
        (0xF800_0000_0000_0000, 0, "-Infinity"),
        (0x3041_ED09_BEAD_87C0, 0x378D_8E64_0000_0000, "0"),  // 10^34: non-canonical, read as zero
        (0x6C11_8000_0000_0000, 0, "0E+3"),  // implied "100" prefix: non-canonical zero
    ])
    func canonicalStrings(high: UInt64, low: UInt64, expected: String) {
        #expect(Decimal128Formatting.string(low: low, high: high) == expected)
    }
}
