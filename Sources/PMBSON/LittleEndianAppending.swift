extension Array where Element == UInt8 {
    @inlinable @inline(__always)
    public mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { self.append(contentsOf: $0) }
    }

    @inlinable @inline(__always)
    public mutating func appendBigEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.bigEndian) { self.append(contentsOf: $0) }
    }

    /// Appends `source[range]` with one copy.
    @inlinable @inline(__always)
    public mutating func append(_ source: UnsafeRawBufferPointer, _ range: Range<Int>) {
        append(contentsOf: UnsafeRawBufferPointer(rebasing: source[range]))
    }

    @inlinable @inline(__always)
    public mutating func storeLittleEndian(_ value: Int32, at offset: Int) {
        let v = UInt32(bitPattern: value)
        self[offset] = UInt8(truncatingIfNeeded: v)
        self[offset + 1] = UInt8(truncatingIfNeeded: v >> 8)
        self[offset + 2] = UInt8(truncatingIfNeeded: v >> 16)
        self[offset + 3] = UInt8(truncatingIfNeeded: v >> 24)
    }

    /// Appends `value` in decimal without allocating a String.
    mutating func appendDecimal(_ value: Int64) {
        if value < 0 { append(UInt8(ascii: "-")) }
        appendDecimal(value.magnitude)
    }

    /// Appends `value` in decimal, left-padded with zeros to `minimumDigits`.
    mutating func appendDecimal(_ value: UInt64, minimumDigits: Int = 1) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes of scratch, 20 used at most
        var count = 0
        var v = value
        Swift.withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[23 - count] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
                count += 1
            } while v != 0
            while count < minimumDigits && count < 24 {
                buffer[23 - count] = UInt8(ascii: "0")
                count += 1
            }
            self.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[(24 - count)...]))
        }
    }
}
