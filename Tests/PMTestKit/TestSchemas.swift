import PMConfigFiles
import PMSchema

/// The products schema of docs/API.md, as a `fields:` block (unindented): the one fixture
/// the schema, filter and gateway tests share.
public let productFieldsYAML = """
    name:     { type: string, required: true, min_length: 3, max_length: 200 }
    price:    { type: number, required: true, min: 0 }
    qty:      { type: integer, min: 0 }
    category: { type: string, enum: [widgets, gadgets] }
    sku:      { type: string, pattern: "^[A-Z]{3}-[0-9]+$", unique: true }
    tags:     { type: array, items: { type: string } }
    dims:     { type: object, fields: { w: { type: number } } }
    released: { type: date }
    active:   { type: boolean, default: true }
    """

extension String {
    /// Every line indented by `spaces`, for nesting a YAML block in another.
    public func indented(by spaces: Int) -> String {
        let padding = String(repeating: " ", count: spaces)
        return split(separator: "\n", omittingEmptySubsequences: false).map { padding + $0 }.joined(separator: "\n")
    }
}

/// The schema of a collection `things` whose `fields:` block is `fields`, read as the
/// gateway reads it (file `cfg/c.yml`); throws the problems when it does not compile.
public func compileTestSchema(_ fields: String, additionalFields: String = "allow") throws(ConfigError) -> CollectionSchema {
    let (schema, problems) = readTestSchema(fields, additionalFields: additionalFields)
    guard problems.isEmpty else { throw ConfigError(problems: problems) }
    return schema
}

/// The problems of a `things` schema (`key: message`), empty when it compiles.
public func testSchemaProblems(_ fields: String) -> [String] {
    readTestSchema(fields, additionalFields: nil).problems.map { "\($0.key): \($0.message)" }
}

private func readTestSchema(_ fields: String, additionalFields: String?) -> (schema: CollectionSchema, problems: [ConfigProblem]) {
    let yaml = """
        collections:
          things:
        \(additionalFields.map { "    additional_fields: \($0)\n" } ?? "")    fields:
        \(fields.indented(by: 6))

        """
    let problems = ProblemList()
    let sections = ConfigSections.merge([ConfigSource(file: "cfg/c.yml", text: yaml)], names: ["collections"], problems: problems)
    var schema = CollectionSchema()
    for entry in sections["collections"] { schema = SchemaReader().collectionSchema(collection: entry.value) }
    return (schema, problems.inFileOrder)
}
