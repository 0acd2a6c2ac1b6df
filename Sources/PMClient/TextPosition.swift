/// Line and column (1-based, columns in characters) of a byte offset in UTF-8 text,
/// for pointing at a JSON error.
struct TextPosition: Equatable, CustomStringConvertible {
    var line: Int
    var column: Int

    init(offset: Int, in bytes: [UInt8]) {
        var line = 1
        var lineStart = 0
        let end = min(max(0, offset), bytes.count)
        for index in 0..<end where bytes[index] == UInt8(ascii: "\n") {
            line += 1
            lineStart = index + 1
        }
        // Count characters, not bytes: continuation bytes (10xxxxxx) do not start one.
        let column = bytes[lineStart..<end].reduce(1) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
        self.line = line
        self.column = column
    }

    var description: String { "line \(line), column \(column)" }
}
