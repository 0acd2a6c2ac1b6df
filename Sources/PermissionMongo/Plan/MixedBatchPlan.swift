import PMBSON

/// The body of `POST /batch`: operations and options, checked for shape and size
/// before any work.
struct MixedBatchPlan: Sendable {
    struct Options: Sendable {
        var atomic = true
        var validateOnly = false
        var returnRecords = false
        var continueOnError = false
    }

    var operations: [BatchOperation]
    var options = Options()

    init(body: BSONDocument, maxBatchSize: Int) throws {
        try BodyShape.allowOnly(["operations", "options"], in: body)
        let items = try BodyShape.nonEmptyArray("operations", in: body)
        guard items.count <= maxBatchSize else {
            throw DomainError.batchTooLarge(limit: maxBatchSize, requested: items.count)
        }
        if let value = body["options"] {
            guard case .document(let document) = value else {
                throw DomainError.invalidRequest("\"options\" must be a JSON object")
            }
            options = try Self.options(document)
        }
        operations = try items.enumerated().map { index, item in
            try BatchOperation(item, index: index, maxListLimit: maxBatchSize)
        }
    }

    private static func options(_ document: BSONDocument) throws -> Options {
        try BodyShape.allowOnly(["atomic", "validate_only", "return_records", "continue_on_error"], in: document)
        func flag(_ key: String, _ fallback: Bool) throws -> Bool {
            switch document[key] {
            case nil, .null?: return fallback
            case .bool(let value)?: return value
            default: throw DomainError.invalidRequest("options.\(key) must be true or false")
            }
        }
        var options = Options()
        options.atomic = try flag("atomic", true)
        options.validateOnly = try flag("validate_only", false)
        options.returnRecords = try flag("return_records", false)
        options.continueOnError = try flag("continue_on_error", false)
        if options.atomic && options.continueOnError {
            throw DomainError.invalidRequest("options.continue_on_error needs \"atomic\": false")
        }
        return options
    }
}
