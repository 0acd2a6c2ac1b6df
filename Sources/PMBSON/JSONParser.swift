/// The state machine behind `JSONReader`: an index over the raw buffer, the
/// keys of the open objects, and a scratch buffer for strings with escapes.
/// Everything that decides what is accepted, and every error, lives here; what
/// is made of the input is the business of `Sink` (see `JSONSink`).
struct JSONParser<Sink: JSONSink> {
    private let bytes: UnsafeRawBufferPointer
    private let count: Int
    private let maxDepth: Int
    private var index = 0
    private var depth = 0
    /// Receives what is parsed.
    var sink: Sink
    /// Keys of the objects being parsed, for duplicate checks.
    private var keys: JSONKeyTable
    /// Decoded bytes of the last string scanned that contained escapes.
    private var scratch: [UInt8] = []

    init(bytes: UnsafeRawBufferPointer, maxDepth: Int, sink: Sink) {
        self.bytes = bytes
        self.count = bytes.count
        self.maxDepth = maxDepth
        self.sink = sink
        self.keys = JSONKeyTable(input: bytes)
    }

    // MARK: Top level

    mutating func parseTopLevelDocument() throws(JSONError) -> Sink.Document {
        skipWhitespace()
        guard index < count else { throw JSONError(offset: 0, message: "empty input") }
        guard bytes[index] == UInt8(ascii: "{") else {
            throw JSONError(offset: index, message: "expected a JSON object at byte \(index), found \(describe(bytes[index]))")
        }
        let document = try parseObject()
        try expectEnd()
        return document
    }

    mutating func parseTopLevelValue() throws(JSONError) -> Sink.Value {
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

    private mutating func parseValue() throws(JSONError) -> Sink.Value {
        skipWhitespace()
        guard index < count else { throw endOfInput() }
        switch bytes[index] {
        case UInt8(ascii: "{"): return sink.documentValue(try parseObject())
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""):
            let string = try scanString(isKey: false)
            return string.isEscaped ? scratch.withUnsafeBytes { sink.string($0) } : sink.string(slice(string))
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        case UInt8(ascii: "t"): try expectLiteral("true"); return sink.bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return sink.bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return sink.null()
        default: throw unexpectedCharacter(at: index)
        }
    }

    private mutating func parseObject() throws(JSONError) -> Sink.Document {
        let isEmpty = try openContainer(closedBy: UInt8(ascii: "}"))
        let mark = sink.beginObject()
        if isEmpty { return sink.endObject(mark) }
        var object = keys.beginObject()
        var members = 0
        repeat {
            skipWhitespace()
            guard index < count else { throw endOfInput() }
            guard bytes[index] == UInt8(ascii: "\"") else {
                if bytes[index] == UInt8(ascii: "}") && members > 0 { throw trailingComma(at: index) }
                throw JSONError(offset: index, message: "expected a string key at byte \(index), found \(describe(bytes[index]))")
            }
            let keyOffset = index
            let keyString = try scanString(isKey: true)
            let isNew = keyString.isEscaped
                ? keys.insert(decoded: scratch, into: &object)
                : keys.insert(inputFrom: keyString.start, to: keyString.end, into: &object)
            if !isNew { throw duplicateKey(keyString, at: keyOffset) }
            let key = keyString.isEscaped ? scratch.withUnsafeBytes { sink.key($0) } : sink.key(slice(keyString))

            skipWhitespace()
            guard index < count else { throw endOfInput() }
            guard bytes[index] == UInt8(ascii: ":") else {
                throw JSONError(offset: index, message: "expected ':' after object key at byte \(index), found \(describe(bytes[index]))")
            }
            index += 1
            let value = try parseValue()
            sink.member(key, value)
            members += 1
        } while try continuesAfterItem(closedBy: UInt8(ascii: "}"))
        keys.endObject(object)
        return sink.endObject(mark)
    }

    private func duplicateKey(_ key: StringSpan, at offset: Int) -> JSONError {
        let key = key.isEscaped ? String(decoding: scratch, as: UTF8.self) : String(decoding: slice(key), as: UTF8.self)
        var quoted = [UInt8]()
        JSONWriter.writeString(key.count > 64 ? String(key.prefix(64)) + "…" : key, into: &quoted)
        return JSONError(offset: offset, message: "duplicate key \(String(decoding: quoted, as: UTF8.self)) at byte \(offset)")
    }

    private mutating func parseArray() throws(JSONError) -> Sink.Value {
        let isEmpty = try openContainer(closedBy: UInt8(ascii: "]"))
        let mark = sink.beginArray()
        if isEmpty { return sink.endArray(mark) }
        var elements = 0
        repeat {
            skipWhitespace()
            if index < count && bytes[index] == UInt8(ascii: "]") && elements > 0 { throw trailingComma(at: index) }
            sink.elementIndex(elements)
            let value = try parseValue()
            sink.element(value)
            elements += 1
        } while try continuesAfterItem(closedBy: UInt8(ascii: "]"))
        return sink.endArray(mark)
    }

    /// Consumes the opening bracket at `index`, one level deeper, and the
    /// whitespace after it. True when the container is empty: its closing
    /// bracket is consumed too, and the level left.
    @inline(__always)
    private mutating func openContainer(closedBy closer: UInt8) throws(JSONError) -> Bool {
        let open = index
        index += 1
        depth += 1
        if depth > maxDepth {
            throw JSONError(offset: open, message: "nesting deeper than \(maxDepth) levels at byte \(open)")
        }
        skipWhitespace()
        guard index < count && bytes[index] == closer else { return false }
        index += 1
        depth -= 1
        return true
    }

    /// After a member or element: consumes `,` (true: another one follows) or
    /// the closing bracket (false: the container is done, its level left).
    @inline(__always)
    private mutating func continuesAfterItem(closedBy closer: UInt8) throws(JSONError) -> Bool {
        skipWhitespace()
        guard index < count else { throw endOfInput() }
        let next = bytes[index]
        index += 1
        if next == UInt8(ascii: ",") { return true }
        if next == closer {
            depth -= 1
            return false
        }
        throw JSONError(offset: index - 1, message: "expected ',' or '\(describeRaw(closer))' at byte \(index - 1), found \(describe(next))")
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

    /// Where the content of a scanned string is: `bytes[start..<end]`, or
    /// `scratch` (until the next string with escapes) when it had escapes.
    private struct StringSpan {
        var start: Int
        var end: Int
        var isEscaped: Bool
    }

    /// The content of `string`, which must not have had escapes.
    @inline(__always)
    private func slice(_ string: StringSpan) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[string.start..<string.end])
    }

    /// Scans the string starting at the opening quote at `index`.
    @inline(__always)
    private mutating func scanString(isKey: Bool) throws(JSONError) -> StringSpan {
        let start = index + 1
        var i = start
        // Fast path: no escapes. Validate in place; the content stays in the input.
        while true {
            i = endOfPlainRun(from: i)
            guard i < count else { break }
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                index = i + 1
                return StringSpan(start: start, end: i, isEscaped: false)
            }
            if b == UInt8(ascii: "\\") {
                return try scanEscapedString(contentStart: start, firstEscape: i, isKey: isKey)
            }
            if b < 0x20 { throw controlCharacter(b, at: i) }
            i = try endOfUTF8Sequence(at: i)
        }
        throw JSONError(offset: start - 1, message: "unterminated string starting at byte \(start - 1)")
    }

    @inline(never)
    private mutating func scanEscapedString(contentStart: Int, firstEscape: Int, isKey: Bool) throws(JSONError) -> StringSpan {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[contentStart..<firstEscape]))
        var i = firstEscape
        var runStart = i
        while true {
            i = endOfPlainRun(from: i)
            guard i < count else { break }
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<i]))
                index = i + 1
                return StringSpan(start: 0, end: scratch.count, isEscaped: true)
            }
            if b == UInt8(ascii: "\\") {
                scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<i]))
                i = try decodeEscape(at: i, isKey: isKey)
                runStart = i
            } else if b < 0x20 {
                throw controlCharacter(b, at: i)
            } else {
                i = try endOfUTF8Sequence(at: i)
            }
        }
        throw JSONError(offset: contentStart - 1, message: "unterminated string starting at byte \(contentStart - 1)")
    }

    /// The index of the first byte from `start` on that is not plain string
    /// content: a quote, a backslash, a control character or a non-ASCII byte
    /// (or `count`). Eight bytes at a time while it can.
    @inline(__always)
    private func endOfPlainRun(from start: Int) -> Int {
        var i = start
        while i &+ 8 <= count {
            let flags = Self.nonPlainBytes(UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)))
            if flags != 0 { return i &+ flags.trailingZeroBitCount &>> 3 }
            i &+= 8
        }
        while i < count {
            let b = bytes[i]
            if b &- 0x20 >= 0x60 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") { break }
            i &+= 1
        }
        return i
    }

    /// The high bit of each byte of `word` (first byte lowest) that is a quote,
    /// a backslash, below 0x20 or above 0x7F, and maybe of some bytes after
    /// the first such byte: a borrow only moves up, so the lowest bit set is
    /// always exact.
    @inline(__always)
    private static func nonPlainBytes(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let quotes = word ^ (ones &* UInt64(UInt8(ascii: "\"")))
        let backslashes = word ^ (ones &* UInt64(UInt8(ascii: "\\")))
        let isQuote = (quotes &- ones) & ~quotes
        let isBackslash = (backslashes &- ones) & ~backslashes
        let isControl = (word &- ones &* 0x20) & ~word
        return (isQuote | isBackslash | isControl | word) & (ones &* 0x80)
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

    // MARK: Numbers

    private mutating func parseNumber() throws(JSONError) -> Sink.Value {
        let start = index
        var i = index
        let negative = bytes[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        guard i < count, isDigit(bytes[i]) else {
            if i < count { throw unexpectedCharacter(at: i) }
            throw endOfInput()
        }
        // All digits, integer and fraction, as one integer, while it fits.
        var significand: UInt64 = 0
        var overflow = false
        if bytes[i] == UInt8(ascii: "0") {
            i += 1
            if i < count && isDigit(bytes[i]) {
                throw JSONError(offset: start, message: "number with a leading zero at byte \(start)")
            }
        } else {
            i = accumulateDigits(from: i, into: &significand, overflow: &overflow)
        }
        var isInteger = true
        /// The power of ten that scales `significand` to the value.
        var exponent = 0
        if i < count && bytes[i] == UInt8(ascii: ".") {
            isInteger = false
            i += 1
            guard i < count, isDigit(bytes[i]) else { throw digitExpected(at: i, after: "'.'") }
            let fractionStart = i
            i = accumulateDigits(from: i, into: &significand, overflow: &overflow)
            exponent = fractionStart - i
        }
        if i < count && (bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E")) {
            isInteger = false
            i += 1
            var exponentIsNegative = false
            if i < count && (bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-")) {
                exponentIsNegative = bytes[i] == UInt8(ascii: "-")
                i += 1
            }
            guard i < count, isDigit(bytes[i]) else { throw digitExpected(at: i, after: "exponent") }
            var written = 0
            while i < count, isDigit(bytes[i]) {
                // Saturates: anything this large goes to the general path below.
                if written < 100_000 { written = written * 10 + Int(bytes[i] &- UInt8(ascii: "0")) }
                i += 1
            }
            exponent += exponentIsNegative ? -written : written
        }
        index = i
        if isInteger && !overflow {
            if negative {
                if significand <= 0x8000_0000 { return sink.int32(Int32(truncatingIfNeeded: 0 &- Int64(significand))) }
                if significand <= 0x8000_0000_0000_0000 { return sink.int64(Int64(bitPattern: 0 &- significand)) }
            } else {
                if significand <= UInt64(Int32.max) { return sink.int32(Int32(truncatingIfNeeded: significand)) }
                if significand <= UInt64(Int64.max) { return sink.int64(Int64(bitPattern: significand)) }
            }
        }
        if !overflow, let value = Self.exactDouble(significand: significand, exponent: exponent) {
            return sink.double(negative ? -value : value)
        }
        // The grammar is already checked, so Swift's correctly rounded parser sees a valid literal.
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            throw JSONError(offset: start, message: "number out of range at byte \(start)")
        }
        return sink.double(value)
    }

    /// Adds the decimal digits from `i` on to `value`; returns the index after them.
    @inline(__always)
    private func accumulateDigits(from start: Int, into value: inout UInt64, overflow: inout Bool) -> Int {
        var i = start
        while i < count, isDigit(bytes[i]) {
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(UInt64(bytes[i] &- UInt8(ascii: "0")))
            overflow = overflow || o1 || o2
            value = sum
            i += 1
        }
        return i
    }

    /// `significand × 10^exponent` when both factors are exact doubles, so that
    /// one multiplication or division rounds once, correctly: the same double
    /// as `Double(String)` returns (Clinger's fast path). Nil otherwise.
    @inline(__always)
    private static func exactDouble(significand: UInt64, exponent: Int) -> Double? {
        guard significand <= 1 << 53, exponent >= -22, exponent <= 22 else { return nil }
        let s = Double(significand)
        return exponent >= 0 ? s * exactPowersOfTen[exponent] : s / exactPowersOfTen[-exponent]
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

    /// A comma followed by the closing bracket at `offset`.
    private func trailingComma(at offset: Int) -> JSONError {
        JSONError(offset: offset, message: "trailing comma before '\(describeRaw(bytes[offset]))' at byte \(offset)")
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

/// 10^0 ... 10^22, every one exactly representable as a double.
private let exactPowersOfTen: [Double] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
]
