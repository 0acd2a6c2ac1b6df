/// A fast matcher for the common `pattern:` shapes — anchors, literals, `.`, `\d`, `\w`,
/// ASCII character classes and greedy quantifiers, no groups or alternation — used only
/// on strings of printable ASCII (U+0020…U+007E), where Swift `Regex` semantics
/// (Characters, `$` before a final newline) reduce to classic byte matching. Anything
/// else (other patterns, other strings) goes to the `Regex`.
struct SimplePattern: Sendable {
    private struct Atom: Sendable {
        var low: UInt64 = 0
        var high: UInt64 = 0
        var min = 1
        var max = 1

        mutating func insert(_ byte: UInt8) {
            if byte < 64 { low |= 1 << UInt64(byte) } else { high |= 1 << UInt64(byte - 64) }
        }

        mutating func insert(_ range: ClosedRange<UInt8>) {
            for byte in range { insert(byte) }
        }

        @inline(__always) func contains(_ byte: UInt8) -> Bool {
            byte < 64 ? low & (1 << UInt64(byte)) != 0 : high & (1 << UInt64(byte &- 64)) != 0
        }
    }

    private let atoms: [Atom]
    private let anchoredStart: Bool
    private let anchoredEnd: Bool

    private static func isPrintable(_ byte: UInt8) -> Bool { byte >= 0x20 && byte <= 0x7E }
    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    /// `nil` when `source` is not of the supported shape.
    init?(_ source: String) {
        let bytes = Array(source.utf8)
        guard bytes.allSatisfy(Self.isPrintable), bytes.count <= 256 else { return nil }
        var atoms: [Atom] = []
        var index = 0
        var anchoredStart = false
        var anchoredEnd = false
        if bytes.first == UInt8(ascii: "^") {
            anchoredStart = true
            index = 1
        }
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            var atom = Atom()
            switch byte {
            case UInt8(ascii: "$"):
                guard index == bytes.count else { return nil }
                anchoredEnd = true
                continue
            case UInt8(ascii: "\\"):
                guard index < bytes.count, Self.escape(bytes[index], into: &atom) else { return nil }
                index += 1
            case UInt8(ascii: "["):
                guard Self.characterClass(bytes, &index, into: &atom) else { return nil }
            case UInt8(ascii: "."):
                atom.insert(0x20...0x7E)
            case UInt8(ascii: "^"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "|"), UInt8(ascii: "{"),
                 UInt8(ascii: "}"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?"), UInt8(ascii: "]"):
                return nil
            default:
                atom.insert(byte)
            }
            var quantified = true
            if index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "?"): atom.min = 0; atom.max = 1; index += 1
                case UInt8(ascii: "*"): atom.min = 0; atom.max = Int.max; index += 1
                case UInt8(ascii: "+"): atom.min = 1; atom.max = Int.max; index += 1
                case UInt8(ascii: "{"):
                    guard Self.bounds(bytes, &index, into: &atom) else { return nil }
                default: quantified = false
                }
            }
            // Lazy, possessive or stacked quantifiers: not supported.
            if quantified, index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "?"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "{"): return nil
                default: break
                }
            }
            atoms.append(atom)
        }
        guard atoms.count <= 32 else { return nil }
        self.atoms = atoms
        self.anchoredStart = anchoredStart
        self.anchoredEnd = anchoredEnd
    }

    private static func escape(_ byte: UInt8, into atom: inout Atom) -> Bool {
        switch byte {
        case UInt8(ascii: "d"):
            atom.insert(0x30...0x39)
        case UInt8(ascii: "w"):
            atom.insert(0x30...0x39); atom.insert(0x41...0x5A); atom.insert(0x61...0x7A); atom.insert(UInt8(ascii: "_"))
        default:
            // An escaped metacharacter is itself.
            guard Array(#"\^$.|?*+()[]{}/-"#.utf8).contains(byte) else { return false }
            atom.insert(byte)
        }
        return true
    }

    /// `[…]` after the `[`: literals, `a-z` ranges, `\d`, `\w`, escaped punctuation, leading `^`.
    private static func characterClass(_ bytes: [UInt8], _ index: inout Int, into atom: inout Atom) -> Bool {
        var negated = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "^") {
            negated = true
            index += 1
        }
        var set = Atom()
        var empty = true
        while true {
            guard index < bytes.count else { return false }
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "]"):
                guard !empty else { return false }
                if negated {
                    for member in UInt8(0x20)...0x7E where !set.contains(member) { atom.insert(member) }
                } else {
                    atom.low = set.low
                    atom.high = set.high
                }
                return true
            case UInt8(ascii: "\\"):
                guard index < bytes.count, escape(bytes[index], into: &set) else { return false }
                index += 1
            case UInt8(ascii: "["), UInt8(ascii: "&"), UInt8(ascii: "~"), UInt8(ascii: "-"), UInt8(ascii: "^"):
                return false
            default:
                if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "-"), bytes[index + 1] != UInt8(ascii: "]") {
                    let upper = bytes[index + 1]
                    guard isAlphanumeric(byte), isAlphanumeric(upper), byte <= upper else { return false }
                    set.insert(byte...upper)
                    index += 2
                } else {
                    set.insert(byte)
                }
            }
            empty = false
        }
    }

    /// `{n}`, `{n,}`, `{n,m}` at `index`.
    private static func bounds(_ bytes: [UInt8], _ index: inout Int, into atom: inout Atom) -> Bool {
        index += 1
        func number() -> Int? {
            var value = 0
            var digits = 0
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39, digits < 4 {
                value = value * 10 + Int(bytes[index] - 0x30)
                digits += 1
                index += 1
            }
            return digits == 0 ? nil : value
        }
        guard let low = number(), index < bytes.count else { return false }
        var high = low
        if bytes[index] == UInt8(ascii: ",") {
            index += 1
            guard index < bytes.count else { return false }
            if bytes[index] == UInt8(ascii: "}") {
                high = Int.max
            } else {
                guard let bound = number(), bound >= low else { return false }
                high = bound
            }
        }
        guard index < bytes.count, bytes[index] == UInt8(ascii: "}") else { return false }
        index += 1
        atom.min = low
        atom.max = high
        return true
    }

    /// Whether the pattern is found in `string`; `nil` when `string` is not printable ASCII
    /// (or not contiguous), so the `Regex` must decide.
    func matches(_ string: String) -> Bool? {
        let result = string.utf8.withContiguousStorageIfAvailable { matches(utf8: $0) }
        return result ?? nil
    }

    /// `matches(_:)` on a string's UTF-8 bytes.
    func matches(utf8 input: UnsafeBufferPointer<UInt8>) -> Bool? {
        for byte in input where !Self.isPrintable(byte) { return nil }
        if anchoredStart { return matchHere(0, 0, input) }
        for start in 0...input.count where matchHere(0, start, input) { return true }
        return false
    }

    private func matchHere(_ atomIndex: Int, _ position: Int, _ input: UnsafeBufferPointer<UInt8>) -> Bool {
        if atomIndex == atoms.count { return !anchoredEnd || position == input.count }
        let atom = atoms[atomIndex]
        var count = 0
        while count < atom.max, position + count < input.count, atom.contains(input[position + count]) { count += 1 }
        while count >= atom.min {
            if matchHere(atomIndex + 1, position + count, input) { return true }
            count -= 1
        }
        return false
    }
}
