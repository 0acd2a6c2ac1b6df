import PMBSON

/// Typed reads of JSON answers (the gateway's and the user's).
extension BSONDocument {
    func string(_ key: String) -> String? {
        if case .string(let value) = self[key] { value } else { nil }
    }

    func int(_ key: String) -> Int? {
        self[key].flatMap(\.intValue)
    }

    func bool(_ key: String) -> Bool? {
        if case .bool(let value) = self[key] { value } else { nil }
    }

    func document(_ key: String) -> BSONDocument? {
        if case .document(let value) = self[key] { value } else { nil }
    }

    func array(_ key: String) -> [BSON]? {
        if case .array(let value) = self[key] { value } else { nil }
    }
}

extension BSON {
    var intValue: Int? {
        switch self {
        case .int32(let value): Int(value)
        case .int64(let value): Int(exactly: value)
        case .double(let value): value == value.rounded() && abs(value) < 1e15 ? Int(value) : nil
        default: nil
        }
    }

    var documentValue: BSONDocument? {
        if case .document(let value) = self { value } else { nil }
    }

    /// `Int` as the narrowest BSON integer.
    static func integer(_ value: Int) -> BSON {
        if let small = Int32(exactly: value) { return .int32(small) }
        return .int64(Int64(value))
    }
}
