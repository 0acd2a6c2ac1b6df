import PMBSON

/// `options` of a mixed batch. `nil` leaves the value to the input or the server's default.
public struct BatchOptions: Sendable, Equatable {
    public var atomic: Bool?
    public var validateOnly: Bool?
    public var returnRecords: Bool?
    public var continueOnError: Bool?

    public init(atomic: Bool? = nil, validateOnly: Bool? = nil, returnRecords: Bool? = nil, continueOnError: Bool? = nil) {
        self.atomic = atomic
        self.validateOnly = validateOnly
        self.returnRecords = returnRecords
        self.continueOnError = continueOnError
    }

    /// `options` with every value set here replacing the one given there.
    public func applied(to options: BSONDocument) -> BSONDocument {
        var result = options
        for (key, value) in [("atomic", atomic), ("validate_only", validateOnly),
                             ("return_records", returnRecords), ("continue_on_error", continueOnError)] {
            if let value { result[key] = .bool(value) }
        }
        return result
    }
}
