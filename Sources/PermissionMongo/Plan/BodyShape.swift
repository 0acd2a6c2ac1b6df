import PMBSON

/// Shape checks shared by every request body: unknown keys, required arrays.
enum BodyShape {
    static func allowOnly(_ allowed: Set<String>, in body: BSONDocument) throws {
        for element in body.elements where !allowed.contains(element.key) {
            throw DomainError.invalidRequest(
                "unknown key \"\(element.key)\" in request body (allowed: \(allowed.sorted().joined(separator: ", ")))")
        }
    }

    static func nonEmptyArray(_ key: String, in body: BSONDocument) throws -> [BSON] {
        guard let value = body[key] else { throw DomainError.invalidRequest("\"\(key)\" is required") }
        guard case .array(let items) = value else { throw DomainError.invalidRequest("\"\(key)\" must be an array") }
        guard !items.isEmpty else { throw DomainError.invalidRequest("\"\(key)\" must not be empty") }
        return items
    }
}
