/// JSON texts for differential tests: every input of `JSONReaderTests` and
/// `JSONReaderRejectionTests` (accepted and rejected), plus cases aimed at the
/// transcoder's own paths (array keys of several digits, type placeholders,
/// lengths, escaped keys in the duplicate table, the `Set` above 24 members).
enum JSONCorpus {
    struct Case: CustomStringConvertible {
        var bytes: [UInt8]
        var maxDepth = 64

        var description: String {
            let text = String(decoding: bytes.prefix(120), as: UTF8.self)
            return "\(text)\(bytes.count > 120 ? "…" : "") (maxDepth \(maxDepth))"
        }
    }

    /// Inputs as the reader tests have them; many are not objects.
    static let texts: [String] = [
        // JSONReaderValueTests
        #"{"s":"x","i":1,"d":1.5,"t":true,"f":false,"n":null,"a":[1,"b"],"o":{"k":"v"}}"#,
        #"{"z":1,"a":2,"m":3}"#,
        " \t\r\n{ \"a\" : [ ] , \"b\" : { } }\n ",
        "{}", "42", " \"hi\" ", "null", "[true]", "[1]",
        #"{"_id":{"$oid":"507f1f77bcf86cd799439011"},"d":{"$date":"2024-01-01T00:00:00Z"}}"#,
        #"{"a":1}"#,
        // JSONReaderNumberTests
        "0", "-0", "7", "2147483647", "-2147483648", "2147483648", "-2147483649",
        "9223372036854775807", "-9223372036854775808", "9223372036854775808", "-9223372036854775809",
        "18446744073709551616", "123456789012345678901234567890", "1.0", "-0.5", "1e2", "1E2", "1e+2",
        "25e-1", "0.1", "1.7976931348623157e308", "5e-324", "1e-400", "-0.0",
        "01", "-01", "00", "1.", ".5", "-", "+1", "1e", "1e+", "0x10", "1.e5", "NaN", "Infinity", "-Infinity",
        "1e400", "-1e400", "[01]", "1.x",
        // JSONReaderStringTests
        #""q\" b\\ s\/ \b\f\n\r\t""#, #""\u0041\u00e9\u20AC""#, #""caf\u00E9!""#,
        #""\ud83d\ude00""#, #""a\uD834\uDD1Eb""#, #""\udbff\udfff""#,
        #"{"名前":"Zürich 😀 ∑","emoji😀":"ok"}"#, #""a\u0000b""#,
        #"{"a\"b":1,"\u00e9":2,"x\ny":3}"#,
        #"{"k1":"first\tvalue","k2":"plain","k3":"\u00fcber long \"quoted\" text","k4":"\n"}"#,
        // JSONReaderRejectionTests
        "", "  \n", #"{"a":1} x"#, #"{"a":1}{}"#, "1 2",
        #"{"a":1"#, #"{"a":"#, #"{"a"#, "[1,", "tru",
        #"{"a":x}"#, #"{"a" 1}"#, #"{a:1}"#, #"{"a":1 "b":2}"#, "[1 2]", "['a']", "trUe",
        #"{"a":1,}"#, "[1,2,]", "[,]", "{,}",
        "{/* c */}", "{\"a\":1 // c\n}", "# c\n{}",
        #"{"a":1,"a":2}"#, #"{"a":1,"b":{"a":2,"a":3}}"#, #"{"é":1,"\u00e9":2}"#,
        #"{"prefix_xxxx_1_suffix":1,"prefix_xxxx_2_suffix":2}"#, #"[{"a":1},{"a":2}]"#,
        #"{"a\u0000b":1}"#, "\"a\tb\"", "\"a\nb\"",
        #""\x41""#, #""\u12""#, #""\u12G4""#, #""\'""#,
        #""\ud800""#, #"{"a":"\uD800x"}"#, #""\udc00""#, #""\ude00\ud83d""#, #""\ud83d\ud83d""#,
        #""\ud83d\u0041""#, #""\ud83d\n""#, #""x\ud83d""#,
        #"{"a":"b"}"#, #"{"a":[]}"#,
        // Transcoder layouts: multi-digit array keys, every scalar type in arrays, nested lengths.
        "{\"a\":[" + (0..<123).map { "\($0 % 7 == 0 ? "\"s\($0)\"" : $0 % 5 == 0 ? "[\($0)]" : "\($0)")" }.joined(separator: ",") + "]}",
        #"{"m":[null,true,false,0,-1,2147483648,1.5,"x",{},[],{"k":[{}]}],"e":{},"z":[]}"#,
        #"{"":1,"\u0000x":2}"#, #"{"":1,"":2}"#, #"{"a":{"":{"":{}}}}"#,
        // Escaped keys: decoded copies in the duplicate table, across nesting levels.
        #"{"\u0061":1,"b":{"\u0061":2,"a":3}}"#, #"{"a\\b":1,"a\u005cb":2}"#, #"{"x":{"\n":1},"\n":2,"y":{"\n":3}}"#,
        #"{"ab\u0063defgh":1,"abcdefgh":2}"#, #"{"abcdefghij":1,"abcdefghik":2,"abcdefghij":3}"#,
        // Short keys at the very end of the input (no 8-byte load past the key).
        #"{"a":1,"b""#, #"{"ab":{"a""#,
        // Strings around 8-byte boundaries, specials at every position.
        #"{"01234567":"89abcdef","0123456789abcdef0":"\"x\\y\u0001z","é1234567":"1234567é"}"#,
    ]

    static var cases: [Case] {
        var cases = texts.map { Case(bytes: Array($0.utf8)) }
        func add(_ prefix: String, _ bytes: [UInt8], _ suffix: String) {
            cases.append(Case(bytes: Array(prefix.utf8) + bytes + Array(suffix.utf8)))
        }
        add("", [0xEF, 0xBB, 0xBF], "{}")  // byte-order mark
        add("{\"a", [0x00], "\":1}")
        add("\"", [0x1F], "\"")
        add("\"\\n", [0x01], "\"")
        add("\"", [0x7F], "\"")
        add("{", [0xC3, 0xA9], "}")
        for sequence in invalidUTF8 + validUTF8 {
            add(#"{"a":"xy"#, sequence, #""}"#)
            add(#"{"k"#, sequence, #"":1}"#)
            add(#"["\n"#, sequence, #""]"#)
            add("\"", sequence, "\"")
        }
        // Depth limits.
        let arrays = { (n: Int) in String(repeating: "[", count: n) + "{}" + String(repeating: "]", count: n) }
        let objects = { (n: Int) in String(repeating: #"{"a":"#, count: n - 1) + "{}" + String(repeating: "}", count: n - 1) }
        cases += [arrays(63), arrays(64), objects(64), objects(65), #"{"a":"# + arrays(62) + "}"].map { Case(bytes: Array($0.utf8)) }
        cases.append(Case(bytes: Array(objects(3).utf8), maxDepth: 2))
        cases.append(Case(bytes: Array(#"{"a":"b"}"#.utf8), maxDepth: 1))
        cases.append(Case(bytes: Array(#"{"a":[]}"#.utf8), maxDepth: 1))
        cases.append(Case(bytes: Array(#"{"a":[[]]}"#.utf8), maxDepth: 3))
        cases.append(Case(bytes: Array(String(repeating: "[", count: 100_000).utf8)))
        cases.append(Case(bytes: Array(("{\"a\":" + String(repeating: "[", count: 100_000)).utf8)))
        // Large objects: the duplicate check switches to a Set above 24 members.
        for size in [23, 24, 25, 26, 100] {
            let members = (0..<size).map { "\"k\($0)\":\($0)" }
            cases.append(Case(bytes: Array(("{" + members.joined(separator: ",") + "}").utf8)))
            for duplicate in [0, size / 2, size - 1] {
                let withDuplicate = members + [#""k\#(duplicate)":0"#]
                cases.append(Case(bytes: Array(("{" + withDuplicate.joined(separator: ",") + "}").utf8)))
                let escaped = members + [#""\u006b\#(duplicate)":0"#]
                cases.append(Case(bytes: Array(("{" + escaped.joined(separator: ",") + "}").utf8)))
            }
        }
        // Every input again as a member value and as an array element, so that
        // scalars and arrays reach the document entry points.
        let wrapped = cases.flatMap { item in
            [Case(bytes: Array(#"{"v":"#.utf8) + item.bytes + Array("}".utf8), maxDepth: item.maxDepth + 1),
             Case(bytes: Array(#"{"v":[1,"#.utf8) + item.bytes + Array("]}".utf8), maxDepth: item.maxDepth + 2)]
        }
        return cases + wrapped
    }

    static let invalidUTF8: [[UInt8]] = [
        [0x80], [0xBF], [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x80, 0x80], [0xE0, 0x9F, 0xBF],
        [0xF0, 0x80, 0x80, 0x80], [0xF0, 0x8F, 0xBF, 0xBF], [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF],
        [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xFF], [0xFE], [0xC3], [0xE2, 0x82],
        [0xF0, 0x9F, 0x98], [0xC3, 0x41],
    ]

    static let validUTF8: [[UInt8]] = [
        [0xC2, 0x80], [0xDF, 0xBF], [0xE0, 0xA0, 0x80], [0xED, 0x9F, 0xBF],
        [0xEE, 0x80, 0x80], [0xEF, 0xBF, 0xBF], [0xF0, 0x90, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF],
    ]
}
