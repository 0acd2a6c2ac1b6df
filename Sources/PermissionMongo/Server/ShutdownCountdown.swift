import Foundation
import Logging
import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Bounds the shutdown of a gateway process (docs/API.md, "server": `shutdown_grace_ms`):
/// on SIGTERM or SIGINT it starts the deadline at which requests still running are answered
/// 503 (`ShutdownDeadlineResponder`), and ends the process `exitMargin` after it if it has
/// not ended by itself: work stuck on a backend that does not answer is abandoned (writes
/// are transactions, post-hook deliveries stay in the outbox for the next gateway).
///
/// A service of the group that runs the application, listed after it: the group shuts its
/// services down in reverse order, so this one hears of the shutdown first and returns at
/// once, before the application waits for its requests.
struct ShutdownCountdown: Service {
    let deadline: ShutdownDeadline
    let logger: Logger

    /// Time to write the 503 answers and close the connections after the deadline.
    static let exitMarginMs = 1000

    func run() async throws {
        do {
            try await gracefulShutdown()
        } catch {
            return  // cancelled: the group ends for another reason
        }
        let graceMs = deadline.graceMs
        logger.info("stopping", metadata: ["shutdown_grace_ms": .stringConvertible(graceMs)])
        deadline.begin()
        Thread.detachNewThread { [logger] in
            Thread.sleep(forTimeInterval: Double(graceMs + Self.exitMarginMs) / 1000)
            logger.warning("shutdown grace ran out: exiting without waiting for the backend", metadata: [
                "shutdown_grace_ms": .stringConvertible(graceMs),
            ])
            fflush(nil)
            _exit(0)
        }
    }
}
