/// Strict UTF-8 validation (Unicode 15, table 3-7): no overlong forms, no
/// UTF-16 surrogates (U+D800...U+DFFF), nothing above U+10FFFF.
enum UTF8Validation {
    /// The index just past the multi-byte sequence whose lead byte is at `i`,
    /// or `nil` when the sequence is invalid or runs past `limit`.
    /// Call only for `bytes[i] >= 0x80`.
    @inline(__always)
    static func endOfSequence(in bytes: UnsafeRawBufferPointer, at i: Int, limit: Int) -> Int? {
        @inline(__always) func isContinuation(_ j: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) -> Bool {
            guard j < limit else { return false }
            let b = bytes[j]
            return b >= low && b <= high
        }
        switch bytes[i] {
        case 0xC2...0xDF:
            if isContinuation(i + 1) { return i + 2 }
        case 0xE0:
            if isContinuation(i + 1, 0xA0, 0xBF) && isContinuation(i + 2) { return i + 3 }
        case 0xE1...0xEC, 0xEE...0xEF:
            if isContinuation(i + 1) && isContinuation(i + 2) { return i + 3 }
        case 0xED:  // U+D000...U+D7FF only: A0...BF would encode surrogates.
            if isContinuation(i + 1, 0x80, 0x9F) && isContinuation(i + 2) { return i + 3 }
        case 0xF0:
            if isContinuation(i + 1, 0x90, 0xBF) && isContinuation(i + 2) && isContinuation(i + 3) { return i + 4 }
        case 0xF1...0xF3:
            if isContinuation(i + 1) && isContinuation(i + 2) && isContinuation(i + 3) { return i + 4 }
        case 0xF4:  // Up to U+10FFFF.
            if isContinuation(i + 1, 0x80, 0x8F) && isContinuation(i + 2) && isContinuation(i + 3) { return i + 4 }
        default:
            break
        }
        return nil
    }

    /// The offset of the first byte of the first invalid sequence in
    /// `bytes[start..<end]`, or `nil` when the range is valid UTF-8.
    static func firstInvalidOffset(in bytes: UnsafeRawBufferPointer, from start: Int, to end: Int) -> Int? {
        var i = start
        while i < end {
            if bytes[i] < 0x80 {
                i += 1
            } else if let next = endOfSequence(in: bytes, at: i, limit: end) {
                i = next
            } else {
                return i
            }
        }
        return nil
    }
}
