/// The kinds of files `import` reads.
public enum ImportFormat: String, Sendable, CaseIterable {
    case ndjson
    case json
    case csv

    /// `--format` when given (`jsonl` is `ndjson`), else by the file's extension.
    public static func resolve(explicit: String?, path: String) throws(ClientError) -> ImportFormat {
        if let explicit {
            let name = explicit.lowercased()
            if name == "jsonl" { return .ndjson }
            guard let format = ImportFormat(rawValue: name) else {
                throw .usage("--format must be ndjson, json or csv (got \"\(explicit)\")")
            }
            return format
        }
        let fileName = path.split(separator: "/").last.map(String.init) ?? path
        let suffix = fileName.contains(".") ? (fileName.split(separator: ".").last.map { $0.lowercased() } ?? "") : ""
        switch suffix {
        case "ndjson", "jsonl": return .ndjson
        case "json": return .json
        case "csv": return .csv
        default:
            throw .usage("cannot tell the format of \(path) from its extension (.ndjson, .jsonl, .json, .csv): pass --format")
        }
    }

    /// A reader of this format over `input`.
    public func reader(_ input: BufferedInput, typing: SchemaTyping) -> any ImportReader {
        switch self {
        case .ndjson: NDJSONReader(input)
        case .json: JSONArrayReader(input)
        case .csv: CSVReader(input, typing: typing)
        }
    }
}
