import PMConfigFiles
import PMMongo

/// `database.write_concern: {w: majority | n ≥ 1, j: bool, wtimeout_ms: n}`; keys left out
/// keep the default's (`{w: majority, j: true}`, no wtimeout).
enum WriteConcernReader {
    static let keys = ["w", "j", "wtimeout_ms"]

    static func read(_ node: ConfigNode) -> MongoWriteConcern? {
        guard let entries = node.entries(allowed: keys) else { return nil }
        var concern = MongoWriteConcern.durable
        var valid = true
        for entry in entries {
            let value = entry.value
            switch entry.name {
            case "w":
                if value.tagName == .int {
                    // The gateway needs every write acknowledged (ids, duplicate keys, commits):
                    // no w: 0.
                    if let count = value.int(atLeast: 1) { concern.w = .members(count) } else { valid = false }
                } else if let text = value.string(), text == "majority" {
                    concern.w = .majority
                } else {
                    if value.tagName == .str { value.report("must be \"majority\" or a number of members") }
                    valid = false
                }
            case "j":
                if let journal = value.bool() { concern.journal = journal } else { valid = false }
            case "wtimeout_ms":
                if let timeout = value.int(atLeast: 0) { concern.timeoutMS = timeout } else { valid = false }
            default:
                valid = false
            }
        }
        return valid ? concern : nil
    }
}
