/// The keys of the objects `JSONParser` has open, to reject a key an object
/// already has. Keys compare byte for byte (as MongoDB does), not by Unicode
/// equivalence, and are not copied when they had no escapes: an entry points
/// into the input, or into `arena` for a key whose escapes were decoded.
///
/// Each new key is checked against a 64-bit Bloom filter of its object's keys;
/// only on a hit against the earlier keys, by a cheap fingerprint first and
/// bytes on a fingerprint match. An object with more than `linearLimit`
/// members switches to a `Set`.
struct JSONKeyTable {
    /// One open object: where its entries and arena bytes start, and its set
    /// of keys once it has one.
    struct Object {
        fileprivate let firstEntry: Int
        fileprivate let arenaStart: Int
        fileprivate var keySet: Set<[UInt8]>? = nil
        /// One bit per key, chosen by its fingerprint.
        fileprivate var bloom: UInt64 = 0
    }

    private struct Entry {
        var fingerprint: UInt64
        /// Offset in the input when non-negative, else `~offset` in `arena`.
        var location: Int
        var count: Int
    }

    /// Above this many members an object checks duplicates with a `Set`.
    private static var linearLimit: Int { 24 }

    private let input: UnsafeRawBufferPointer
    /// Keys of the open objects, innermost last: `entryCount` of them, in a
    /// buffer of `entryCapacity` (no copy-on-write checks on the hot path).
    private var entries: ManagedBuffer<Void, Entry>
    private var entryCount = 0
    private var entryCapacity: Int
    /// Decoded bytes of the keys in `entries` that had escapes.
    private var arena: [UInt8] = []

    init(input: UnsafeRawBufferPointer) {
        self.input = input
        entryCapacity = 32
        entries = .create(minimumCapacity: entryCapacity) { _ in }
    }

    @inline(__always)
    func beginObject() -> Object {
        Object(firstEntry: entryCount, arenaStart: arena.count)
    }

    /// Forgets the keys of `object`, which must be the innermost open one.
    @inline(__always)
    mutating func endObject(_ object: Object) {
        entryCount = object.firstEntry
        if arena.count > object.arenaStart { arena.removeSubrange(object.arenaStart...) }
    }

    /// Adds the key `input[start..<end]` to `object`; false when `object`
    /// already has it.
    @inline(__always)
    mutating func insert(inputFrom start: Int, to end: Int, into object: inout Object) -> Bool {
        let key = UnsafeRawBufferPointer(rebasing: input[start..<end])
        let fingerprint = Self.fingerprint(key, canReadEightBytes: start + 8 <= input.count)
        return insert(Entry(fingerprint: fingerprint, location: start, count: end - start), into: &object)
    }

    /// Adds the key whose decoded bytes are `decoded` to `object`; false when
    /// `object` already has it.
    mutating func insert(decoded: [UInt8], into object: inout Object) -> Bool {
        let location = ~arena.count
        arena.append(contentsOf: decoded)
        let fingerprint = decoded.withUnsafeBytes { Self.fingerprint($0, canReadEightBytes: false) }
        return insert(Entry(fingerprint: fingerprint, location: location, count: decoded.count), into: &object)
    }

    @inline(__always)
    private mutating func insert(_ entry: Entry, into object: inout Object) -> Bool {
        let bit: UInt64 = 1 &<< (entry.fingerprint &* 0x9E37_79B9_7F4A_7C15 &>> 58)
        if object.bloom & bit != 0 || entryCount - object.firstEntry >= Self.linearLimit {
            if contains(entry, in: &object) { return false }
        }
        object.bloom |= bit
        if entryCount == entryCapacity { growEntries() }
        entries.withUnsafeMutablePointerToElements { ($0 + entryCount).initialize(to: entry) }
        entryCount += 1
        return true
    }

    /// Whether `object` has the key of `entry` already: by the `Set` above
    /// `linearLimit` members (made, then kept, with `entry` in it), else by
    /// fingerprint then bytes.
    @inline(never)
    private func contains(_ entry: Entry, in object: inout Object) -> Bool {
        let existing = entryCount - object.firstEntry
        if object.keySet == nil && existing >= Self.linearLimit {
            // Byte arrays, not Strings: Set<String> would use Unicode equivalence.
            var set = Set<[UInt8]>(minimumCapacity: existing * 2)
            for i in object.firstEntry..<entryCount { set.insert(withBytes(of: storedEntry(at: i)) { Array($0) }) }
            object.keySet = set
        }
        if object.keySet != nil {
            return !object.keySet!.insert(withBytes(of: entry) { Array($0) }).inserted
        }
        for i in object.firstEntry..<entryCount {
            let earlier = storedEntry(at: i)
            if earlier.fingerprint == entry.fingerprint && equal(earlier, entry) { return true }
        }
        return false
    }

    private func storedEntry(at i: Int) -> Entry {
        entries.withUnsafeMutablePointerToElements { $0[i] }
    }

    @inline(never)
    private mutating func growEntries() {
        let larger = ManagedBuffer<Void, Entry>.create(minimumCapacity: entryCapacity * 2) { _ in }
        larger.withUnsafeMutablePointerToElements { target in
            entries.withUnsafeMutablePointerToElements { target.initialize(from: $0, count: entryCount) }
        }
        entries = larger
        entryCapacity *= 2
    }

    private func equal(_ a: Entry, _ b: Entry) -> Bool {
        a.count == b.count && withBytes(of: a) { aBytes in withBytes(of: b) { aBytes.elementsEqual($0) } }
    }

    private func withBytes<R>(of entry: Entry, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        if entry.location >= 0 {
            return body(UnsafeRawBufferPointer(rebasing: input[entry.location..<entry.location + entry.count]))
        }
        let start = ~entry.location
        return arena.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[start..<start + entry.count])) }
    }

    /// Length, first 8 and last 8 bytes (all of them, zero-extended, when
    /// shorter): enough to make unequal keys almost always differ, for one
    /// cheap integer compare per pair. `canReadEightBytes`: 8 bytes may be
    /// loaded from the key's start even when it is shorter.
    @inline(__always)
    private static func fingerprint(_ key: UnsafeRawBufferPointer, canReadEightBytes: Bool) -> UInt64 {
        let n = key.count
        var head: UInt64 = 0
        var tail: UInt64 = 0
        if n >= 8 {
            head = UInt64(littleEndian: key.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
            tail = UInt64(littleEndian: key.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self))
        } else if canReadEightBytes, let start = key.baseAddress {
            let word = UInt64(littleEndian: start.loadUnaligned(as: UInt64.self))
            head = word & ((1 &<< UInt64(8 * n)) &- 1)
        } else {
            for k in 0..<n { head |= UInt64(key[k]) &<< UInt64(8 * k) }
        }
        return head &+ (tail &* 0x9E37_79B9_7F4A_7C15) &+ UInt64(n) &* 0xC2B2_AE3D_27D4_EB4F
    }
}
