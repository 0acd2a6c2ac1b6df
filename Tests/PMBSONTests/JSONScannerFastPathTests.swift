import Testing
@testable import PMBSON

/// The parser's fast paths, which both sinks share (so the differential tests
/// cannot see them): exact doubles without `Double(String)`, and string
/// scanning eight bytes at a time.
@Suite struct JSONScannerFastPathTests {
    /// Doubles the parser computes as significand × 10^exponent must be the
    /// ones `Double(String)` returns, bit for bit.
    @Test func doublesMatchSwiftsParser() throws {
        var rng = WyRand(seed: 42)
        var texts = ["0.0", "-0.0", "0e5", "-0e-5", "9007199254740992e22", "9007199254740993e22", "9007199254740992.0",
                     "1e-22", "1e22", "1e23", "1e-23", "123456789012345678.9", "0.000000000000000000001",
                     "4.35", "0.3", "2.675", "1.0000000000000002", "7e-10", "8.98846567431158e307"]
        for _ in 0..<20_000 {
            let significand = rng.next() >> (rng.next() % 64)
            var digits = String(significand)
            let point = Int(rng.next() % UInt64(digits.count + 1))
            if point < digits.count { digits.insert(".", at: digits.index(digits.startIndex, offsetBy: point)) }
            if digits.first == "." { digits = "0" + digits }
            if digits.last == "." { digits += "0" }
            if digits.count > 1 && digits.first == "0" && digits.dropFirst().first != "." { continue }
            var text = (rng.next() % 2 == 0 ? "-" : "") + digits
            if rng.next() % 2 == 0 { text += "e" + String(Int(rng.next() % 61) - 30) }
            texts.append(text)
        }
        for text in texts {
            let expected = try #require(Double(text))
            guard case .double(let parsed) = try JSONReader.parseValue(text) else {
                // Integers without fraction or exponent are int32/int64, not doubles.
                #expect(!text.contains(".") && !text.contains("e"), "\(text)")
                continue
            }
            #expect(parsed.bitPattern == expected.bitPattern, "\(text): \(parsed) != \(expected)")
        }
    }

    /// A special byte at every offset from the start of a string, on every
    /// alignment, is found where the byte-by-byte scan would find it.
    @Test func specialBytesAtEveryPosition() throws {
        for lead in 0..<10 {
            let head = String(repeating: " ", count: lead) + #"{"k":""#
            let contentStart = head.utf8.count
            for position in 0..<20 {
                let plain = String(repeating: "p", count: position)
                func parse(_ middle: [UInt8], _ tail: String = #"tail"}"#) -> Result<BSONDocument, JSONError> {
                    let bytes = Array((head + plain).utf8) + middle + Array(tail.utf8)
                    return Result { () throws(JSONError) in try JSONReader.parseDocument(bytes) }
                }
                let at = contentStart + position
                #expect(try parse(Array("\"".utf8), "}").get()["k"] == .string(plain))
                #expect(try parse(Array("\\n".utf8), "\"}").get()["k"] == .string(plain + "\n"))
                #expect(try parse([0xC3, 0xA9], "\"}").get()["k"] == .string(plain + "é"))
                #expect(try parse([0x7F], "\"}").get()["k"] == .string(plain + "\u{7F}"))
                #expect(parse([0x1F]) == .failure(JSONError(offset: at, message: "unescaped control character U+001F in string at byte \(at)")))
                #expect(parse([0x00]) == .failure(JSONError(offset: at, message: "unescaped control character U+0000 in string at byte \(at)")))
                #expect(parse([0xC3, 0x41]) == .failure(JSONError(offset: at, message: "invalid UTF-8 at byte \(at)")))
                #expect(parse([0xFF]) == .failure(JSONError(offset: at, message: "invalid UTF-8 at byte \(at)")))
                // Unterminated: the input ends inside the string.
                #expect(parse([], "") == .failure(JSONError(offset: contentStart - 1, message: "unterminated string starting at byte \(contentStart - 1)")))
            }
        }
    }
}
