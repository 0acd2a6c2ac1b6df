import PMClient

enum CSVFuzzing {
    static func run(_ bytes: [UInt8]) -> String? {
        let reader = CSVReader(BufferedInput(bytes: bytes), typing: SchemaTyping(schema: FilterFuzzing.schema))
        var records = 0
        while true {
            guard let record = try? reader.next() else { break }
            records += 1
            guard record.row == records else { return "row \(record.row) reported as record \(records)" }
            // Every record comes from at least one byte of input (a header line precedes them).
            guard records <= bytes.count else { return "more records than input bytes" }
        }
        return nil
    }
}
