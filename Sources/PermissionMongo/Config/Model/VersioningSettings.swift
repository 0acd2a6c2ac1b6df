/// `versioning:` of a collection — what is saved to `_pm_versions`.
public struct VersioningSettings: Sendable, Equatable {
    public enum Mode: String, Sendable, CaseIterable {
        /// The whole previous document.
        case full
        /// The changed fields, from → to.
        case diff
    }

    public var enabled: Bool
    public var mode: Mode
    /// Keep at most this many versions per document; `nil`: no limit.
    public var maxVersions: Int?
    /// Drop versions older than this; `nil`: keep forever.
    public var retentionDays: Int?

    public init(enabled: Bool = false, mode: Mode = .full, maxVersions: Int? = nil, retentionDays: Int? = nil) {
        self.enabled = enabled
        self.mode = mode
        self.maxVersions = maxVersions
        self.retentionDays = retentionDays
    }
}
