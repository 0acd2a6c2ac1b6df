import CMongoC
import Logging
import NIOConcurrencyHelpers

/// Routes libmongoc's own log lines (stderr by default) to swift-log under
/// the label `pm.mongoc`, with the credentials of every pool scrubbed.
enum DriverLog {
    private static let logger = Logger(label: "pm.mongoc")
    private static let redactors = NIOLockedValueBox<[Redactor]>([])

    /// Installs the handler; called once from `mongoc_init` time.
    static func install() {
        mongoc_log_set_handler({ level, domain, message, _ in
            DriverLog.log(level: level, domain: domain, message: message)
        }, nil)
    }

    /// Makes `redactor`'s secrets disappear from driver log lines.
    static func register(_ redactor: Redactor) {
        redactors.withLockedValue { $0.append(redactor) }
    }

    private static func log(level: mongoc_log_level_t, domain: UnsafePointer<CChar>?, message: UnsafePointer<CChar>?) {
        var text = message.map { String(cString: $0) } ?? ""
        let swiftLevel: Logger.Level
        switch level {
        case MONGOC_LOG_LEVEL_ERROR, MONGOC_LOG_LEVEL_CRITICAL: swiftLevel = .error
        case MONGOC_LOG_LEVEL_WARNING: swiftLevel = .warning
        case MONGOC_LOG_LEVEL_MESSAGE, MONGOC_LOG_LEVEL_INFO: swiftLevel = .info
        case MONGOC_LOG_LEVEL_DEBUG: swiftLevel = .debug
        default: swiftLevel = .trace
        }
        guard logger.logLevel <= swiftLevel || swiftLevel <= .warning else { return }
        // The server already ended a transaction after a command error; the
        // driver's abortTransaction then warns about it. Expected, not a problem.
        let effectiveLevel = text.hasPrefix("Error in abortTransaction") ? Logger.Level.debug : swiftLevel
        for redactor in redactors.withLockedValue({ $0 }) {
            text = redactor.scrub(text)
        }
        logger.log(level: effectiveLevel, "\(text)", metadata: ["mongoc.domain": "\(domain.map { String(cString: $0) } ?? "")"])
    }
}
