/// What the fuzzers run (docs/TESTING.md, "Fuzzing"): each target takes arbitrary bytes,
/// feeds them to one parser of client or configuration input, and checks what must hold
/// for every input. A target returns nil when all held, else what broke; the libFuzzer
/// entry (`pm-fuzz`) traps on it, and `FuzzCorpusTests` runs every file of the corpus
/// (seeds and the inputs of crashes found) through it.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// JSON reader and transcoder: the same acceptance, the same BSON; a parsed document
    /// written back as JSON reads back the same.
    case json
    /// `when` expressions: lexer, parser, checker, evaluator and filter compiler.
    case policy
    /// Client filters: the operator allowlist and operand checks, schema typing.
    case filter
    /// Update documents: operator parsing and applying to a stored document.
    case update
    /// CSV import: parser and schema typing, row by row.
    case csv

    /// Runs `bytes` through the target.
    public func run(_ bytes: [UInt8]) -> String? {
        switch self {
        case .json: JSONFuzzing.run(bytes)
        case .policy: PolicyFuzzing.run(bytes)
        case .filter: FilterFuzzing.run(bytes)
        case .update: UpdateFuzzing.run(bytes)
        case .csv: CSVFuzzing.run(bytes)
        }
    }
}
