import Foundation

/// `host:pid`, to tell gateway processes apart in `_pm_outbox.lease_owner`.
enum ProcessIdentity {
    static let name = "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)"
}
