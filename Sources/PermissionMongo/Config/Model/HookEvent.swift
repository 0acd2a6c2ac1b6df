/// When a hook is called (`hooks.<collection>.<event>:`).
public enum HookEvent: String, Sendable, Hashable, CaseIterable {
    case preCreate = "pre_create"
    case postCreate = "post_create"
    case preUpdate = "pre_update"
    case postUpdate = "post_update"
    case preDelete = "pre_delete"
    case postDelete = "post_delete"
}
