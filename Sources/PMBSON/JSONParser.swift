/// The state machine behind `JSONReader`: an index over the raw buffer plus
/// scratch stacks reused across nesting levels, so each object or array costs
/// one exactly-sized allocation.
struct JSONParser {
    private let bytes: UnsafeRawBufferPointer
    private let count: Int
    private let maxDepth: Int
    private var index = 0
    private var depth = 0
    /// Members of the objects being parsed, innermost last.
    private var memberStack: [BSONDocument.Element] = []
    /// A cheap fingerprint of each key in `memberStack`, for duplicate checks.
    private var keyFingerprints: [UInt64] = []
    /// Elements of the arrays being parsed, innermost last.
    private var elementStack: [BSON] = []
    /// Decoded bytes of a string that contains escapes.
    private var scratch: [UInt8] = []

    /// Above this many members an object checks duplicates with a `Set`.
    private static let linearDuplicateCheckLimit = 24

    init(bytes: UnsafeRawBufferPointer, maxDepth: Int) {
        self.bytes = bytes
        self.count = bytes.count
        self.maxDepth = maxDepth
        memberStack.reserveCapacity(32)
        keyFingerprints.reserveCapacity(32)
    }

    // MARK: Top level

    mutating func parseTopLevelDocument() throws(JSONError) -> BSONDocument {
        skipWhitespace()
        guard index < count else { throw JSONError(offset: 0, message: "empty input") }
        guard bytes[index] == UInt8(ascii: "{") else {
            throw JSONError(offset: index, message: "expected a JSON object at byte \(index), found \(describe(bytes[index]))")
        }
        let document = try parseObject()
        try expectEnd()
        return document
    }

    mutating func parseTopLevelValue() throws(JSONError) -> BSON {
        skipWhitespace()
        guard index < count else { throw JSONError(offset: 0, message: "empty input") }
        let value = try parseValue()
        try expectEnd()
        return value
    }

    private mutating func expectEnd() throws(JSONError) {
        skipWhitespace()
        if index < count {
            throw JSONError(offset: index, message: "trailing data after JSON value at byte \(index)")
        }
    }

    // MARK: Values

    private mutating func parseValue() throws(JSONError) -> BSON {
        skipWhitespace()
        guard index < count else { throw endOfInput() }
        switch bytes[index] {
        case UInt8(ascii: "{"): return .document(try parseObject())
        case UInt8(ascii: "["): return .array(try parseArray())
        case UInt8(ascii: "\""): return .string(try parseString(isKey: false))
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        default: throw unexpectedCharacter(at: index)
        }
    }

    private mutating func parseObject() throws(JSONError) -> BSONDocument {
        let open = index
        index += 1
        try enterContainer(at: open)
        skipWhitespace()
        if index < count && bytes[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return BSONDocument()
        }
        let base = memberStack.count
        var keySet: Set<[UInt8]>? = nil
        while true {
            skipWhitespace()
            guard index < count else { throw endOfInput() }
            guard bytes[index] == UInt8(ascii: "\"") else {
                if bytes[index] == UInt8(ascii: "}") && memberStack.count > base {
                    throw JSONError(offset: index, message: "trailing comma before '}' at byte \(index)")
                }
                throw JSONError(offset: index, message: "expected a string key at byte \(index), found \(describe(bytes[index]))")
            }
            let keyOffset = index
            let key = try parseString(isKey: true)
            let fingerprint = lastKeyFingerprint
            try checkDuplicate(key, fingerprint: fingerprint, base: base, keySet: &keySet, at: keyOffset)

            skipWhitespace()
            guard index < count else { throw endOfInput() }
            guard bytes[index] == UInt8(ascii: ":") else {
                throw JSONError(offset: index, message: "expected ':' after object key at byte \(index), found \(describe(bytes[index]))")
            }
            index += 1
            let value = try parseValue()
            memberStack.append(BSONDocument.Element(key: key, value: value))
            keyFingerprints.append(fingerprint)

            skipWhitespace()
            guard index < count else { throw endOfInput() }
            let next = bytes[index]
            index += 1
            if next == UInt8(ascii: ",") { continue }
            if next == UInt8(ascii: "}") { break }
            throw JSONError(offset: index - 1, message: "expected ',' or '}' at byte \(index - 1), found \(describe(next))")
        }
        let document = BSONDocument(elements: Array(memberStack[base...]))
        memberStack.removeSubrange(base...)
        keyFingerprints.removeSubrange(base...)
        depth -= 1
        return document
    }

    private mutating func checkDuplicate(_ key: String, fingerprint: UInt64, base: Int, keySet: inout Set<[UInt8]>?, at offset: Int) throws(JSONError) {
        let existing = memberStack.count - base
        if keySet == nil && existing >= Self.linearDuplicateCheckLimit {
            // Byte arrays, not Strings: Set<String> would use Unicode equivalence.
            var set = Set<[UInt8]>(minimumCapacity: existing * 2)
            for member in memberStack[base...] { set.insert(Array(member.key.utf8)) }
            keySet = set
        }
        var isDuplicate = false
        if keySet != nil {
            isDuplicate = !keySet!.insert(Array(key.utf8)).inserted
        } else {
            var i = base
            while i < memberStack.count {
                if keyFingerprints[i] == fingerprint && bsonKeysEqual(memberStack[i].key, key) {
                    isDuplicate = true
                    break
                }
                i += 1
            }
        }
        if isDuplicate {
            var quoted = [UInt8]()
            JSONWriter.writeString(key.count > 64 ? String(key.prefix(64)) + "…" : key, into: &quoted)
            throw JSONError(offset: offset, message: "duplicate key \(String(decoding: quoted, as: UTF8.self)) at byte \(offset)")
        }
    }

    private mutating func parseArray() throws(JSONError) -> [BSON] {
        let open = index
        index += 1
        try enterContainer(at: open)
        skipWhitespace()
        if index < count && bytes[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return []
        }
        let base = elementStack.count
        while true {
            skipWhitespace()
            if index < count && bytes[index] == UInt8(ascii: "]") && elementStack.count > base {
                throw JSONError(offset: index, message: "trailing comma before ']' at byte \(index)")
            }
            let value = try parseValue()
            elementStack.append(value)
            skipWhitespace()
            guard index < count else { throw endOfInput() }
            let next = bytes[index]
            index += 1
            if next == UInt8(ascii: ",") { continue }
            if next == UInt8(ascii: "]") { break }
            throw JSONError(offset: index - 1, message: "expected ',' or ']' at byte \(index - 1), found \(describe(next))")
        }
        let array = Array(elementStack[base...])
        elementStack.removeSubrange(base...)
        depth -= 1
        return array
    }

    @inline(__always)
    private mutating func enterContainer(at offset: Int) throws(JSONError) {
        depth += 1
        if depth > maxDepth {
            throw JSONError(offset: offset, message: "nesting deeper than \(maxDepth) levels at byte \(offset)")
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONError) {
        let length = literal.utf8CodeUnitCount
        let start = literal.utf8Start
        for k in 0..<length {
            guard index + k < count else { throw endOfInput() }
            if bytes[index + k] != start[k] { throw unexpectedCharacter(at: index + k) }
        }
        index += length
    }

    // MARK: Strings

    /// Fingerprint of the key parsed by the last `parseString(isKey: true)`.
    private var lastKeyFingerprint: UInt64 = 0

    /// Parses the string starting at the opening quote at `index`.
    private mutating func parseString(isKey: Bool) throws(JSONError) -> String {
        let start = index + 1
        var i = start
        // Fast path: no escapes. Validate in place, then build the String once.
        while i < count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                let slice = UnsafeRawBufferPointer(rebasing: bytes[start..<i])
                if isKey { lastKeyFingerprint = Self.fingerprint(slice) }
                index = i + 1
                return String(decoding: slice, as: UTF8.self)
            }
            if b == UInt8(ascii: "\\") {
                return try parseEscapedString(contentStart: start, firstEscape: i, isKey: isKey)
            }
            if b < 0x20 { throw controlCharacter(b, at: i) }
            if b < 0x80 {
                i += 1
            } else {
                i = try endOfUTF8Sequence(at: i)
            }
        }
        throw JSONError(offset: start - 1, message: "unterminated string starting at byte \(start - 1)")
    }

    private mutating func parseEscapedString(contentStart: Int, firstEscape: Int, isKey: Bool) throws(JSONError) -> String {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[contentStart..<firstEscape]))
        var i = firstEscape
        var runStart = i
        while i < count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<i]))
                index = i + 1
                if isKey {
                    lastKeyFingerprint = scratch.withUnsafeBytes { Self.fingerprint($0) }
                }
                return String(decoding: scratch, as: UTF8.self)
            }
            if b == UInt8(ascii: "\\") {
                scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<i]))
                i = try decodeEscape(at: i, isKey: isKey)
                runStart = i
            } else if b < 0x20 {
                throw controlCharacter(b, at: i)
            } else if b < 0x80 {
                i += 1
            } else {
                i = try endOfUTF8Sequence(at: i)
            }
        }
        throw JSONError(offset: contentStart - 1, message: "unterminated string starting at byte \(contentStart - 1)")
    }

    /// Decodes the escape at `i` (a backslash) into `scratch`; returns the
    /// index after it.
    private mutating func decodeEscape(at i: Int, isKey: Bool) throws(JSONError) -> Int {
        guard i + 1 < count else { throw endOfInput() }
        let c = bytes[i + 1]
        switch c {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(c)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            let unit = try hex4(at: i + 2, escapeStart: i)
            var scalar = UInt32(unit)
            var end = i + 6
            if unit >= 0xD800 && unit <= 0xDBFF {
                // A high surrogate must be followed by an escaped low surrogate.
                guard end + 1 < count, bytes[end] == UInt8(ascii: "\\"), bytes[end + 1] == UInt8(ascii: "u") else {
                    throw unpairedSurrogate(unit, at: i)
                }
                let low = try hex4(at: end + 2, escapeStart: end)
                guard low >= 0xDC00 && low <= 0xDFFF else { throw unpairedSurrogate(unit, at: i) }
                scalar = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                end += 6
            } else if unit >= 0xDC00 && unit <= 0xDFFF {
                throw unpairedSurrogate(unit, at: i)
            }
            if scalar == 0 && isKey {
                throw JSONError(offset: i, message: "object key contains U+0000 at byte \(i)")
            }
            appendUTF8(scalar)
            return end
        default:
            throw JSONError(offset: i, message: "invalid escape sequence '\\\(describeRaw(c))' at byte \(i)")
        }
        return i + 2
    }

    private func hex4(at start: Int, escapeStart: Int) throws(JSONError) -> UInt16 {
        var value: UInt16 = 0
        for k in 0..<4 {
            guard start + k < count else { throw endOfInput() }
            let b = bytes[start + k]
            let nibble: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = b - UInt8(ascii: "A") + 10
            default:
                throw JSONError(offset: escapeStart, message: "invalid \\u escape at byte \(escapeStart): expected 4 hex digits")
            }
            value = value << 4 | UInt16(nibble)
        }
        return value
    }

    private mutating func appendUTF8(_ scalar: UInt32) {
        switch scalar {
        case 0..<0x80:
            scratch.append(UInt8(scalar))
        case 0x80..<0x800:
            scratch.append(UInt8(0xC0 | scalar >> 6))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            scratch.append(UInt8(0xE0 | scalar >> 12))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        default:
            scratch.append(UInt8(0xF0 | scalar >> 18))
            scratch.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    /// Validates the multi-byte UTF-8 sequence starting at `i` and returns the
    /// index after it. A truncated sequence is invalid UTF-8 too.
    @inline(__always)
    private func endOfUTF8Sequence(at i: Int) throws(JSONError) -> Int {
        guard let next = UTF8Validation.endOfSequence(in: bytes, at: i, limit: count) else {
            throw JSONError(offset: i, message: "invalid UTF-8 at byte \(i)")
        }
        return next
    }

    /// Length, first 8 and last 8 bytes: enough to make unequal keys almost
    /// always differ, for one cheap integer compare per pair.
    @inline(__always)
    private static func fingerprint(_ key: UnsafeRawBufferPointer) -> UInt64 {
        let n = key.count
        var head: UInt64 = 0
        var tail: UInt64 = 0
        if n >= 8 {
            head = key.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
            tail = key.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
        } else {
            for k in 0..<n { head = head << 8 | UInt64(key[k]) }
        }
        return head &+ (tail &* 0x9E37_79B9_7F4A_7C15) &+ UInt64(n) &* 0xC2B2_AE3D_27D4_EB4F
    }

    // MARK: Numbers

    private mutating func parseNumber() throws(JSONError) -> BSON {
        let start = index
        var i = index
        let negative = bytes[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        guard i < count, isDigit(bytes[i]) else {
            if i < count { throw unexpectedCharacter(at: i) }
            throw endOfInput()
        }
        var magnitude: UInt64 = 0
        var overflow = false
        if bytes[i] == UInt8(ascii: "0") {
            i += 1
            if i < count && isDigit(bytes[i]) {
                throw JSONError(offset: start, message: "number with a leading zero at byte \(start)")
            }
        } else {
            while i < count, isDigit(bytes[i]) {
                let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times10.addingReportingOverflow(UInt64(bytes[i] &- UInt8(ascii: "0")))
                overflow = overflow || o1 || o2
                magnitude = sum
                i += 1
            }
        }
        var isInteger = true
        if i < count && bytes[i] == UInt8(ascii: ".") {
            isInteger = false
            i += 1
            guard i < count, isDigit(bytes[i]) else { throw digitExpected(at: i, after: "'.'") }
            while i < count, isDigit(bytes[i]) { i += 1 }
        }
        if i < count && (bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E")) {
            isInteger = false
            i += 1
            if i < count && (bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-")) { i += 1 }
            guard i < count, isDigit(bytes[i]) else { throw digitExpected(at: i, after: "exponent") }
            while i < count, isDigit(bytes[i]) { i += 1 }
        }
        index = i
        if isInteger && !overflow {
            if negative {
                if magnitude <= 0x8000_0000 { return .int32(Int32(truncatingIfNeeded: 0 &- Int64(magnitude))) }
                if magnitude <= 0x8000_0000_0000_0000 { return .int64(Int64(bitPattern: 0 &- magnitude)) }
            } else {
                if magnitude <= UInt64(Int32.max) { return .int32(Int32(truncatingIfNeeded: magnitude)) }
                if magnitude <= UInt64(Int64.max) { return .int64(Int64(bitPattern: magnitude)) }
            }
        }
        // The grammar is already checked, so Swift's correctly rounded parser sees a valid literal.
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            throw JSONError(offset: start, message: "number out of range at byte \(start)")
        }
        return .double(value)
    }

    @inline(__always) private func isDigit(_ b: UInt8) -> Bool {
        b &- UInt8(ascii: "0") < 10
    }

    // MARK: Whitespace and errors

    @inline(__always)
    private mutating func skipWhitespace() {
        while index < count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    private func endOfInput() -> JSONError {
        JSONError(offset: count, message: "unexpected end of input at byte \(count)")
    }

    private func unexpectedCharacter(at offset: Int) -> JSONError {
        JSONError(offset: offset, message: "unexpected \(describe(bytes[offset])) at byte \(offset)")
    }

    private func digitExpected(at offset: Int, after what: String) -> JSONError {
        if offset >= count { return endOfInput() }
        return JSONError(offset: offset, message: "expected a digit after \(what) at byte \(offset), found \(describe(bytes[offset]))")
    }

    private func controlCharacter(_ b: UInt8, at offset: Int) -> JSONError {
        JSONError(offset: offset, message: "unescaped control character \(hexUnit(UInt16(b), prefix: "U+")) in string at byte \(offset)")
    }

    private func unpairedSurrogate(_ unit: UInt16, at offset: Int) -> JSONError {
        JSONError(offset: offset, message: "unpaired surrogate \(hexUnit(unit, prefix: "\\u", lowercase: true)) at byte \(offset)")
    }

    /// `character 'x'` for printable ASCII, `byte 0xNN` otherwise.
    private func describe(_ b: UInt8) -> String {
        if b >= 0x21 && b <= 0x7E { return "character '\(describeRaw(b))'" }
        if b < 0x80 { return "character \(hexUnit(UInt16(b), prefix: "U+"))" }
        return "byte \(hexUnit(UInt16(b), prefix: "0x", digits: 2))"
    }

    private func describeRaw(_ b: UInt8) -> String {
        b >= 0x20 && b <= 0x7E ? String(UnicodeScalar(b)) : hexUnit(UInt16(b), prefix: "0x", digits: 2)
    }

    private func hexUnit(_ unit: UInt16, prefix: String, digits: Int = 4, lowercase: Bool = false) -> String {
        var hex = String(unit, radix: 16, uppercase: !lowercase)
        while hex.utf8.count < digits { hex = "0" + hex }
        return prefix + hex
    }
}
