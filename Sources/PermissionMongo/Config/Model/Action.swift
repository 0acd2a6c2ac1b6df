/// What a role may do on a collection (`actions:`).
public enum Action: String, Sendable, Hashable, CaseIterable {
    case create, read, update, delete, restore
}
