import PMBSON

/// What a batch-mode pre-hook's 2xx answer says (docs/API.md, "Batch-mode hooks"): an
/// empty body or a JSON object without `rejected` lets every document through;
/// `{"rejected":[{"index":1,"reason":"..."}]}` refuses those documents. An answer that is
/// not such an object, or names an index the call did not carry, refuses the whole call.
enum BatchHookAnswer {
    /// The refused documents by index with the receiver's reason, or why the whole call
    /// counts as refused.
    static func rejections(in body: [UInt8], indexes: Set<Int>) -> Result<[Int: String], Refusal> {
        guard body.contains(where: { !isJSONWhitespace($0) }) else { return .success([:]) }
        let answer: BSONDocument
        do {
            answer = try JSONReader.parseDocument(body)
        } catch {
            return .failure(Refusal(reason: "the answer is not a JSON object (\(error))"))
        }
        let entries: [BSON]
        switch answer["rejected"] {
        case nil, .null?: return .success([:])
        case .array(let items)?: entries = items
        default: return .failure(Refusal(reason: "the answer's rejected is not a list"))
        }
        var rejected: [Int: String] = [:]
        for entry in entries {
            guard case .document(let item) = entry, let index = item["index"]?.int64Value.map(Int.init) else {
                return .failure(Refusal(reason: "the answer's rejected entries need an integer index"))
            }
            guard indexes.contains(index) else {
                return .failure(Refusal(reason: "the answer names index \(index), which is not in the call"))
            }
            switch item["reason"] {
            case .string(let reason)?: rejected[index] = reason
            case nil, .null?: rejected[index] = "no reason given"
            default: return .failure(Refusal(reason: "the answer's reason for index \(index) is not a string"))
            }
        }
        return .success(rejected)
    }

    struct Refusal: Error, Equatable {
        var reason: String
    }

    private static func isJSONWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
