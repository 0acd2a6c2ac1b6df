@testable import PMBSON

/// UTF-8 bytes of `prefix`, then raw `bytes`, then UTF-8 of `suffix`.
func jsonBytes(_ prefix: String, _ bytes: [UInt8], _ suffix: String) -> [UInt8] {
    Array(prefix.utf8) + bytes + Array(suffix.utf8)
}

/// The error `JSONReader.parseValue` throws for `input`, or nil if it parses.
func jsonError(_ input: [UInt8], maxDepth: Int = 64) -> JSONError? {
    do {
        _ = try JSONReader.parseValue(input, maxDepth: maxDepth)
        return nil
    } catch {
        return error
    }
}

func jsonError(_ input: String, maxDepth: Int = 64) -> JSONError? {
    jsonError(Array(input.utf8), maxDepth: maxDepth)
}

/// The error BSON decoding throws for `bytes`, or nil if it decodes.
func bsonError(_ bytes: [UInt8]) -> BSONDecodingError? {
    do {
        _ = try BSONDocument(bsonBytes: bytes)
        return nil
    } catch {
        return error
    }
}

/// "\x16\x00..." style notation → bytes: `hexBytes("16 00 00 00")`.
func hexBytes(_ text: String) -> [UInt8] {
    text.split(separator: " ").map { UInt8($0, radix: 16)! }
}
