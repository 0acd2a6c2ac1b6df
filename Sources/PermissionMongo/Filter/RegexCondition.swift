import PMBSON

/// `$regex` and `$options` of one operator document (docs/API.md, "Regular expressions"):
/// `$regex` a string of at most `server.max_regex_length` characters in the accepted subset
/// (`RegexPatternCheck`); `$options` only beside `$regex`, a string of the letters `i m s x`,
/// each at most once. 400 naming the operator and the field.
struct RegexCondition {
    static let optionLetters: Set<Character> = ["i", "m", "s", "x"]

    let maxLength: Int

    func check(_ operators: BSONDocument, path: String) throws {
        let options = operators["$options"]
        let pattern = operators["$regex"]
        var extended = false
        if let options {
            guard pattern != nil else {
                throw DomainError.invalidRequest("$options on \(path) is only allowed beside $regex")
            }
            guard case .string(let letters) = options else {
                throw DomainError.invalidRequest("$options on \(path) takes a string")
            }
            var seen = Set<Character>()
            for letter in letters {
                guard Self.optionLetters.contains(letter) else {
                    throw DomainError.invalidRequest("$options on \(path) has the flag \"\(letter)\": only i, m, s and x are allowed")
                }
                guard seen.insert(letter).inserted else {
                    throw DomainError.invalidRequest("$options on \(path) has the flag \"\(letter)\" twice")
                }
            }
            extended = seen.contains("x")
        }
        guard let pattern else { return }
        guard case .string(let text) = pattern else {
            throw DomainError.invalidRequest("$regex on \(path) takes a string")
        }
        let length = text.unicodeScalars.count
        guard length <= maxLength else {
            throw DomainError.invalidRequest(
                "$regex on \(path) is \(length) characters long: server.max_regex_length is \(maxLength)")
        }
        if let reason = RegexPatternCheck(extended: extended).problem(in: text) {
            throw DomainError.invalidRequest("$regex on \(path) is refused: \(reason)")
        }
    }
}
