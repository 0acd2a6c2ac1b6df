/// `min_length` / `max_length` of strings, in Unicode scalars. A string of n UTF-8 bytes
/// has between ceil(n / 4) and n scalars, so they are only counted when those bounds do not
/// decide. `LengthRange` uses it on both paths.
enum StringLength {
    @inline(__always)
    static func isShorter(utf8Count bytes: Int, than length: Int, scalars: () -> Int) -> Bool {
        if bytes < length { return true }
        if (bytes + 3) / 4 >= length { return false }
        return scalars() < length
    }

    @inline(__always)
    static func isLonger(utf8Count bytes: Int, than length: Int, scalars: () -> Int) -> Bool {
        if bytes <= length { return false }
        if (bytes + 3) / 4 > length { return true }
        return scalars() > length
    }

    /// Unicode scalars of valid UTF-8: the bytes that do not continue a sequence.
    static func scalarCount(_ text: UnsafeRawBufferPointer) -> Int {
        var count = 0
        for byte in text where byte & 0xC0 != 0x80 { count += 1 }
        return count
    }
}
