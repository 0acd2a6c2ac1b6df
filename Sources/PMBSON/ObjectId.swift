import Synchronization

/// A 12-byte MongoDB ObjectId, stored without heap allocation.
public struct ObjectId: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Bytes 0..<8, big-endian.
    public let high: UInt64
    /// Bytes 8..<12, big-endian.
    public let low: UInt32

    @inlinable public init(high: UInt64, low: UInt32) {
        self.high = high
        self.low = low
    }

    /// From 12 bytes; `nil` for any other count.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 12 else { return nil }
        var high: UInt64 = 0
        var low: UInt32 = 0
        for (i, byte) in bytes.enumerated() {
            if i < 8 { high = high << 8 | UInt64(byte) } else { low = low << 8 | UInt32(byte) }
        }
        self.init(high: high, low: low)
    }

    /// What `init(hex:)` accepts, as a regular expression (JSON Schema's `pattern`).
    public static let hexPattern = "^[0-9a-fA-F]{24}$"

    /// From exactly 24 hexadecimal digits (either case); `nil` otherwise.
    public init?(hex: some StringProtocol) {
        var text = String(hex)
        guard let id = text.withUTF8({ ObjectId(hexBuffer: $0) }) else { return nil }
        self = id
    }

    /// From exactly 24 hexadecimal digits given as ASCII bytes; `nil` otherwise.
    public init?(hexDigits: some Sequence<UInt8>) {
        if let parsed = hexDigits.withContiguousStorageIfAvailable({ ObjectId(hexBuffer: $0) }) {
            guard let parsed else { return nil }
            self = parsed
            return
        }
        guard let parsed = Array(hexDigits).withUnsafeBufferPointer({ ObjectId(hexBuffer: $0) }) else { return nil }
        self = parsed
    }

    /// From exactly 24 hexadecimal digits in contiguous bytes (parsed without generic
    /// dispatch: ids in request bodies are parsed by the hundred).
    public init?(hexBuffer digits: UnsafeBufferPointer<UInt8>) {
        guard digits.count == 24 else { return nil }
        var high: UInt64 = 0
        var low: UInt32 = 0
        for i in 0..<24 {
            guard let nibble = Self.nibble(digits[i]) else { return nil }
            if i < 16 { high = high << 4 | UInt64(nibble) } else { low = low << 4 | UInt32(nibble) }
        }
        self.init(high: high, low: low)
    }

    private static func nibble(_ unit: UInt8) -> UInt8? {
        switch unit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): unit &- UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): unit &- UInt8(ascii: "a") &+ 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): unit &- UInt8(ascii: "A") &+ 10
        default: nil
        }
    }

    public var bytes: [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(12)
        for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: high >> UInt64(shift))) }
        for shift in stride(from: 24, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: low >> UInt32(shift))) }
        return out
    }

    /// 24 lowercase hex digits.
    public var hex: String {
        String(unsafeUninitializedCapacity: 24) { buffer in
            var i = 0
            for shift in stride(from: 60, through: 0, by: -4) {
                buffer[i] = Self.digit(UInt8(truncatingIfNeeded: high >> UInt64(shift)) & 0xF); i += 1
            }
            for shift in stride(from: 28, through: 0, by: -4) {
                buffer[i] = Self.digit(UInt8(truncatingIfNeeded: low >> UInt32(shift)) & 0xF); i += 1
            }
            return 24
        }
    }

    /// The lowercase hex digit of `nibble` (0...15).
    private static func digit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") &+ nibble : UInt8(ascii: "a") &+ nibble &- 10
    }

    public var description: String { hex }

    /// Seconds since the epoch encoded in the first four bytes.
    public var timestamp: UInt32 { UInt32(truncatingIfNeeded: high >> 32) }

    public static func < (a: ObjectId, b: ObjectId) -> Bool {
        a.high != b.high ? a.high < b.high : a.low < b.low
    }

    private static let processUnique: UInt64 = UInt64.random(in: 0..<(1 << 40))
    private static let counter = Atomic<UInt32>(UInt32.random(in: 0..<(1 << 24)))

    /// A new ObjectId: 4-byte seconds, 5-byte per-process random, 3-byte counter.
    public static func generate(now seconds: UInt32 = currentSeconds()) -> ObjectId {
        let count = counter.wrappingAdd(1, ordering: .relaxed).oldValue & 0xFF_FFFF
        let high = UInt64(seconds) << 32 | (processUnique >> 8)
        let low = UInt32(truncatingIfNeeded: processUnique & 0xFF) << 24 | count
        return ObjectId(high: high, low: low)
    }

    public static func currentSeconds() -> UInt32 {
        UInt32(truncatingIfNeeded: BSONDate.now().millisecondsSince1970 / 1000)
    }
}
