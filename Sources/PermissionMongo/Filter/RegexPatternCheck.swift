/// Checks a `$regex` pattern against the subset the gateway forwards (docs/API.md,
/// "Regular expressions"): constructs that PCRE and the backend's dialect read alike,
/// repeat counts up to 1000, and no repeated group whose body repeats too. `problem`
/// is nil for an accepted pattern, else why it is refused. One pass, linear in the pattern.
struct RegexPatternCheck {
    static let maxRepeat = 1000

    /// `$options` has `x`: unescaped whitespace and `#` comments outside classes are ignored.
    var extended = false

    /// What the last item was, for the quantifier that may follow it.
    private enum Last {
        case nothing, anchor, atom, quantified, lookahead
        case group(repeats: Bool)
    }

    private struct Group {
        var lookahead: Bool
        var repeats = false
    }

    func problem(in pattern: String) -> String? {
        let chars = Array(pattern.unicodeScalars)
        var i = 0
        var groups: [Group] = []
        var last = Last.nothing
        while i < chars.count {
            let c = chars[i]
            if extended {
                if Self.isWhitespace(c) { i += 1; continue }
                if c == "#" {
                    while i < chars.count && chars[i] != "\n" { i += 1 }
                    continue
                }
            }
            switch c {
            case "\u{0}":
                return "a NUL character is not allowed"
            case "\\":
                switch escape(chars, at: i, inClass: false) {
                case .failure(let reason): return reason.text
                case .success(let (end, isAnchor)):
                    i = end
                    last = isAnchor ? .anchor : .atom
                }
                continue
            case "[":
                switch characterClass(chars, at: i) {
                case .failure(let reason): return reason.text
                case .success(let end): i = end
                }
                last = .atom
                continue
            case "(":
                var lookahead = false
                if i + 1 < chars.count && chars[i + 1] == "?" {
                    let kind = i + 2 < chars.count ? chars[i + 2] : "?"
                    switch kind {
                    case ":": break
                    case "=", "!": lookahead = true
                    default:
                        return "(?\(kind) is not supported: only (?:, (?= and (?! groups (flags go in $options)"
                    }
                    i += 3
                } else {
                    i += 1
                }
                groups.append(Group(lookahead: lookahead))
                last = .nothing
                continue
            case ")":
                guard let group = groups.popLast() else { return "unbalanced ): no group is open at position \(i)" }
                if group.repeats && !groups.isEmpty { groups[groups.count - 1].repeats = true }
                last = group.lookahead ? .lookahead : .group(repeats: group.repeats)
            case "|":
                last = .nothing
            case "^", "$":
                last = .anchor
            case "*", "+", "?", "{":
                var end = i + 1
                var atMostOnce = c == "?"
                if c == "{" {
                    switch Self.bounds(chars, at: i) {
                    case .failure(let reason): return reason.text
                    case .success(let (close, upper)):
                        end = close
                        atMostOnce = upper.map { $0 <= 1 } ?? false
                    }
                }
                let quantifier = String(String.UnicodeScalarView(chars[i..<end]))
                switch last {
                case .nothing: return "quantifier \(quantifier) at position \(i) follows nothing it can repeat"
                case .anchor: return "quantifier \(quantifier) at position \(i) follows an anchor, which cannot repeat"
                case .lookahead: return "quantifier \(quantifier) at position \(i) follows a lookahead, which cannot repeat"
                case .quantified:
                    return "quantifier \(quantifier) at position \(i) follows another quantifier (stacked or possessive quantifiers are not supported)"
                case .group(let repeats) where repeats && !atMostOnce:
                    return "nested quantifier: the group before \(quantifier) at position \(i) contains a quantifier itself, which can take exponential time (like (a+)+)"
                case .atom, .group:
                    break
                }
                if end < chars.count && chars[end] == "?" { end += 1 }  // lazy
                if !groups.isEmpty { groups[groups.count - 1].repeats = true }
                last = .quantified
                i = end
                continue
            default:
                last = .atom
            }
            i += 1
        }
        if !groups.isEmpty { return "unbalanced (: \(groups.count) group(s) not closed" }
        return nil
    }

    /// An escape outside or inside a class: where it ends, and whether it is an anchor (`\b`, `\B`).
    private func escape(_ chars: [Unicode.Scalar], at start: Int, inClass: Bool) -> Result<(Int, Bool), Reason> {
        guard start + 1 < chars.count else { return .failure("a \\ at the end of the pattern escapes nothing") }
        let next = chars[start + 1]
        switch next {
        case "d", "D", "w", "W", "s", "S", "n", "r", "t", "f":
            return .success((start + 2, false))
        case "b", "B":
            guard !inClass else { return .failure("\\\(next) is not supported inside a character class") }
            return .success((start + 2, true))
        case "x":
            let digits = chars[min(start + 2, chars.count)..<min(start + 4, chars.count)]
            guard digits.count == 2, digits.allSatisfy(\.properties.isASCIIHexDigit) else {
                return .failure("\\x takes exactly two hex digits (\\x{...} is not supported)")
            }
            return .success((start + 4, false))
        case "p", "P":
            return .failure("\\\(next){...} Unicode properties are not supported")
        case "0"..."9":
            return .failure("\\\(next): backreferences and octal escapes are not supported")
        default:
            guard next.isASCII, next == " " || (next.value > 0x20 && next.value < 0x7F
                && !next.properties.isAlphabetic && !("0"..."9").contains(next))
            else { return .failure("\\\(next) is not supported") }
            return .success((start + 2, false))
        }
    }

    /// A `[...]` class starting at `start`: where it ends.
    private func characterClass(_ chars: [Unicode.Scalar], at start: Int) -> Result<Int, Reason> {
        var i = start + 1
        if i < chars.count && chars[i] == "^" { i += 1 }
        var first = true
        /// The previous single character, which may start a range.
        var previous: Unicode.Scalar?
        while i < chars.count {
            let c = chars[i]
            if c == "]" && !first { return .success(i + 1) }
            first = false
            var single: Unicode.Scalar?
            switch c {
            case "\u{0}":
                return .failure("a NUL character is not allowed")
            case "[":
                return .failure("a [ inside a character class must be escaped as \\[ (POSIX classes like [:alpha:] are not supported)")
            case "\\":
                switch escape(chars, at: i, inClass: true) {
                case .failure(let reason): return .failure(reason)
                case .success(let (end, _)):
                    if end == i + 2, !Self.classEscapes.contains(chars[i + 1]) { single = chars[i + 1] }
                    i = end
                }
            case "-" where previous != nil && i + 1 < chars.count && chars[i + 1] != "]":
                let low = previous!
                var high = chars[i + 1]
                var end = i + 2
                if high == "\\" {
                    switch escape(chars, at: i + 1, inClass: true) {
                    case .failure(let reason): return .failure(reason)
                    case .success(let (after, _)):
                        guard after == i + 3, !Self.classEscapes.contains(chars[i + 2]) else {
                            return .failure("a range in a character class must end in a single character")
                        }
                        high = chars[i + 2]
                        end = after
                    }
                } else if high == "[" {
                    return .failure("a [ inside a character class must be escaped as \\[ (POSIX classes like [:alpha:] are not supported)")
                }
                guard low.value <= high.value else {
                    return .failure("range \(low)-\(high) is out of order in a character class")
                }
                previous = nil
                i = end
                continue
            default:
                single = c
                i += 1
            }
            previous = single
        }
        return .failure("unbalanced [: a character class is not closed")
    }

    /// `{n}`, `{n,}` or `{n,m}` at `start`: where it ends and its upper bound (nil: unbounded).
    private static func bounds(_ chars: [Unicode.Scalar], at start: Int) -> Result<(Int, Int?), Reason> {
        let literal = Reason("a literal { must be escaped as \\{ (only {n}, {n,} and {n,m} are quantifiers)")
        var i = start + 1
        /// Digits at `i`, nil when there are none; values past `maxRepeat` stop growing.
        func number() -> Int? {
            var value = 0
            var digits = 0
            while i < chars.count, ("0"..."9").contains(chars[i]) {
                if value <= maxRepeat { value = value * 10 + Int(chars[i].value - 48) }
                digits += 1
                i += 1
            }
            return digits == 0 ? nil : value
        }
        guard let low = number() else { return .failure(literal) }
        var high: Int? = low
        if i < chars.count && chars[i] == "," {
            i += 1
            high = number()
        }
        guard i < chars.count && chars[i] == "}" else { return .failure(literal) }
        let text = String(String.UnicodeScalarView(chars[start...i]))
        if low > maxRepeat || (high ?? 0) > maxRepeat {
            return .failure(Reason("repeat count in \(text) is over \(maxRepeat)"))
        }
        if let high, high < low { return .failure(Reason("numbers out of order in \(text)")) }
        return .success((i + 1, high))
    }

    /// Escapes that stand for a set of characters and cannot end a range.
    private static let classEscapes: Set<Unicode.Scalar> = ["d", "D", "w", "W", "s", "S"]

    private static func isWhitespace(_ c: Unicode.Scalar) -> Bool {
        c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\u{0B}" || c == "\u{0C}"
    }

    /// Why a pattern is refused.
    struct Reason: Error, ExpressibleByStringLiteral, ExpressibleByStringInterpolation {
        let text: String
        init(_ text: String) { self.text = text }
        init(stringLiteral value: String) { text = value }
    }
}
