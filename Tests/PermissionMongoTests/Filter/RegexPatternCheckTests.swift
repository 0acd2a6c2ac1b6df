import Testing
@testable import PermissionMongo

/// The `$regex` subset (docs/API.md, "Regular expressions").
@Suite struct RegexPatternCheckTests {
    private func accepts(_ pattern: String, extended: Bool = false, sourceLocation: SourceLocation = #_sourceLocation) {
        let problem = RegexPatternCheck(extended: extended).problem(in: pattern)
        #expect(problem == nil, "\(pattern) was refused: \(problem ?? "")", sourceLocation: sourceLocation)
    }

    private func refuses(_ pattern: String, naming: String, extended: Bool = false,
                         sourceLocation: SourceLocation = #_sourceLocation) {
        guard let problem = RegexPatternCheck(extended: extended).problem(in: pattern) else {
            Issue.record("\(pattern) was accepted", sourceLocation: sourceLocation)
            return
        }
        #expect(problem.contains(naming), "\(pattern): \"\(problem)\" should name \(naming)", sourceLocation: sourceLocation)
    }

    @Test func commonPatternsAreAccepted() {
        for pattern in [
            "", "^abc", "a.*b", "[a-z]+", #"\d{3}"#, "(ab)+", "abc$", "^Item 1", "a|b|c", "(a|aa)+", "(?:ab)*",
            #"^\w+@\w+\.com$"#, "[^0-9]", "[]a]", "[a-]", "[-a]", #"[\d\s_.-]+"#, #"\x41"#, "a{2,}", "a{0,1000}",
            "a+?", "a*?", "a??", "a{2,3}?", "x(?=y)", "x(?!y)", #"\bword\b"#, "é+", "}", "]", #"\{\}\[\]\(\)\.\*\+\?\|\^\$\\\/"#,
            #"(\.\d+)?"#, "(ab+){0,1}", "((a)(b))+", #"[\]]"#, #"\ "#, "\t\n", "a{3}",
        ] {
            accepts(pattern)
        }
    }

    @Test func unbalancedGroupsAndClasses() {
        refuses("(", naming: "unbalanced (")
        refuses("(a(b)", naming: "unbalanced (")
        refuses("a)", naming: "unbalanced )")
        refuses("[", naming: "unbalanced [")
        refuses("[a-z", naming: "unbalanced [")
        refuses("[]", naming: "unbalanced [")
        refuses(#"[\]"#, naming: "unbalanced [")
    }

    @Test func escapes() {
        refuses(#"abc\"#, naming: "at the end")
        refuses(#"\p{L}"#, naming: "Unicode properties")
        refuses(#"\P{Lu}"#, naming: "Unicode properties")
        refuses(#"(a)\1"#, naming: "backreferences")
        refuses(#"\0"#, naming: "backreferences and octal")
        refuses(#"\x{41}"#, naming: "\\x takes exactly two hex digits")
        refuses(#"\xZZ"#, naming: "\\x")
        refuses(#"\u0041"#, naming: "\\u is not supported")
        refuses(#"\Qa\E"#, naming: "\\Q is not supported")
        refuses(#"\z"#, naming: "\\z is not supported")
        refuses(#"\v"#, naming: "\\v is not supported")
        refuses(#"[\p{L}]"#, naming: "Unicode properties")
        refuses(#"[\b]"#, naming: "\\b is not supported")
        refuses("a\u{0}b", naming: "NUL")
    }

    @Test func quantifiers() {
        refuses("a{99999999999}", naming: "over 1000")
        refuses("a{1001}", naming: "over 1000")
        refuses("a{1,1001}", naming: "over 1000")
        refuses("a{3,2}", naming: "out of order")
        refuses("a{", naming: "literal {")
        refuses("a{x}", naming: "literal {")
        refuses("a{,5}", naming: "literal {")
        refuses("*a", naming: "follows nothing")
        refuses("(*)", naming: "follows nothing")
        refuses("a|+", naming: "follows nothing")
        refuses("^*", naming: "anchor")
        refuses(#"\b+"#, naming: "anchor")
        refuses("(?=a)+", naming: "lookahead")
        refuses("a**", naming: "another quantifier")
        refuses("a++", naming: "possessive")
        refuses("a{2}{3}", naming: "another quantifier")
    }

    @Test func nestedQuantifiersAreRefused() {
        refuses("(a+)+", naming: "nested quantifier")
        refuses("^(a+)+$", naming: "nested quantifier")
        refuses("(a*)*", naming: "nested quantifier")
        refuses("(?:a?b)+", naming: "nested quantifier")
        refuses("((a+)b)*", naming: "nested quantifier")
        refuses("(a{2})+", naming: "nested quantifier")
        refuses("(a+){2}", naming: "nested quantifier")
        refuses("([a-z]+)*x", naming: "nested quantifier")
        // A group repeated at most once is fine, whatever it holds.
        accepts("(a+)?")
        accepts("(a+){0,1}")
        accepts("(a|aa)+")
    }

    @Test func otherGroupsAreRefused() {
        refuses("(?i)a", naming: "(?i is not supported")
        refuses("(?<name>a)", naming: "(?<")
        refuses("(?P<name>a)", naming: "(?P")
        refuses("(?<=a)b", naming: "(?<")
        refuses("(?>a)", naming: "(?>")
        refuses("(?", naming: "(??")
    }

    @Test func classesAndRanges() {
        refuses("[z-a]", naming: "out of order")
        refuses("[[:alpha:]]", naming: "POSIX")
        refuses(#"[a-\d]"#, naming: "single character")
        accepts(#"[a\-z]"#)
        accepts(#"[\x20-\x7E]"#)
        accepts(#"[!-\/]"#)
    }

    @Test func extendedModeIgnoresWhitespaceAndComments() {
        accepts("a (b) # a comment with ( and [\n c", extended: true)
        refuses("a (b) # a comment with (\n c", naming: "unbalanced (")
        // `( *)` is "repeat nothing" when spaces do not count.
        refuses("(?: *)", naming: "follows nothing", extended: true)
        accepts("(?: *)")
        accepts("a +", extended: true)
        refuses("(a +)+", naming: "nested quantifier", extended: true)
        accepts(#"a\ b"#, extended: true)
        accepts("[ #]", extended: true)
    }
}
