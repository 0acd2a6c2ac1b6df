/// Why a version was saved (§5.7).
enum VersionOp: String, Sendable {
    case update
    case delete
    case restore
}
