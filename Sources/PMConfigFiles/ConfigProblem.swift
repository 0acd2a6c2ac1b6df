/// One thing wrong with the configuration: where (file and line, when known),
/// which setting (dotted key path) and why.
public struct ConfigProblem: Sendable, Equatable, CustomStringConvertible {
    /// The YAML file, as `<directory>/<name>`; `nil` for environment variables and whole-directory problems.
    public var file: String?
    /// 1-based line in `file`.
    public var line: Int?
    /// 1-based column in `file`, when the problem points inside a value (a `when` expression).
    public var column: Int?
    /// Dotted key path, e.g. `collections.products.fields.price.min`.
    public var key: String
    public var message: String

    public init(file: String?, line: Int?, column: Int? = nil, key: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.key = key
        self.message = message
    }

    /// `policies/products.yml:12: collections.products.fields.price.min: must be a number`
    public var description: String {
        var text = ""
        if let file {
            text += file
            if let line { text += ":\(line)" }
            if line != nil, let column { text += ":\(column)" }
            text += ": "
        }
        if !key.isEmpty { text += key + ": " }
        return text + message
    }
}
