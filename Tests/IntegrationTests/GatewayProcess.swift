import Foundation
import PMCurl
import PMTestKit
import PMTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// The real `permission-mongo serve` as a child process (under PMTestSupport's watchdog,
/// so it never outlives the test process), for tests that kill a gateway: listening on a
/// free port of 127.0.0.1, with the configuration in `configDirectory` and the database
/// and listener given by environment overrides.
struct GatewayProcess {
    let server: ServerProcess
    let port: Int

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Started and listening (within 60 s); `environment` is added to the overrides. On the
    /// shared test backend, or the one at `backendURI`. Listening means this process said
    /// so in its log: a port found free may be taken by another server of the run before the
    /// gateway binds it, and a connection would then reach that server. A gateway whose port
    /// was taken is started again on another.
    static func start(
        configDirectory: String, database: String, environment: [String: String] = [:], backendURI: String? = nil
    ) async throws -> GatewayProcess {
        let uri: String
        if let backendURI { uri = backendURI } else { uri = try await GatewayHarness.sharedBackendURI() }
        var attempt = 0
        while true {
            attempt += 1
            let port = try TestBackend.freePort()
            let work = try TemporaryDirectory([:]).path
            let server = try ServerProcess.spawn(
                executable: "/usr/bin/env",
                arguments: [
                    "PM_MONGODB_URI=\(uri)", "PM_DATABASE=\(database)",
                    "PM_LISTEN=127.0.0.1:\(port)",
                ] + environment.map { "\($0.key)=\($0.value)" } + [try ClientBinary.path(), "serve", "--config", configDirectory],
                workDirectory: work)
            let gateway = GatewayProcess(server: server, port: port)
            let deadline = ContinuousClock.now + .seconds(60)
            while !server.logTail(1 << 16).contains("listening on 127.0.0.1:\(port)") {
                if let status = server.exitStatus() {
                    let log = server.logTail()
                    if log.contains("Address already in use") && attempt < 3 { break }
                    throw Failure(description: "the gateway \(status): \(log)")
                }
                guard ContinuousClock.now < deadline else {
                    server.stop()
                    throw Failure(description: "the gateway did not listen within 60 s: \(server.logTail())")
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            if server.exitStatus() == nil { return gateway }
        }
    }

    var url: String { "http://127.0.0.1:\(port)" }

    /// Sends a request (with a bearer token, when given); the status and the body.
    func send(
        _ method: String, _ path: String, token: String?, body: String? = nil, headers extra: [(name: String, value: String)] = []
    ) async throws -> (status: Int, body: String) {
        let client = try CurlClient(maxConcurrent: 1, maxBodyBytes: 1 << 20)
        defer { Task { await client.shutdown() } }
        var headers = (token.map { [(name: "Authorization", value: "Bearer \($0)")] } ?? []) + extra
        if body != nil { headers.append((name: "Content-Type", value: "application/json")) }
        let response = try await client.perform(CurlRequest(
            url: url + path, method: method, headers: headers, body: Array((body ?? "").utf8), timeoutMilliseconds: 30_000))
        return (response.status, String(decoding: response.body, as: UTF8.self))
    }

    /// SIGKILL to the gateway itself (not its watchdog): no shutdown of any kind.
    func kill() async throws {
        Glibc.kill(try gatewayPid(), SIGKILL)
        for _ in 0..<100 where TestBackend.canConnect(port: port) {
            try await Task.sleep(for: .milliseconds(50))  // the kernel closes its listener
        }
    }

    /// SIGTERM to the gateway itself (its watchdog would SIGKILL it 5 s later): the
    /// gateway's own graceful shutdown, however long it takes.
    func terminate() throws {
        Glibc.kill(try gatewayPid(), SIGTERM)
    }

    /// SIGHUP to the gateway itself: reload the configuration.
    func hangUp() throws {
        Glibc.kill(try gatewayPid(), SIGHUP)
    }

    /// Waits (up to `limit`) until the gateway's log contains `text` `count` times.
    func log(contains text: String, count: Int = 1, within limit: Duration = .seconds(60)) async throws -> Bool {
        let deadline = ContinuousClock.now + limit
        while server.logTail(1 << 20).components(separatedBy: text).count - 1 < count {
            guard ContinuousClock.now < deadline else { return false }
            try await Task.sleep(for: .milliseconds(100))
        }
        return true
    }

    private func gatewayPid() throws -> pid_t {
        let children = (try? String(contentsOfFile: "/proc/\(server.pid)/task/\(server.pid)/children", encoding: .utf8)) ?? ""
        let gateway = children.split(separator: " ").compactMap { Int32($0) }.first { pid in
            ((try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8)) ?? "").contains("serve")
        }
        guard let gateway else { throw Failure(description: "no gateway process under watchdog \(server.pid)") }
        return gateway
    }

    /// Waits until `count` requests besides the scrape itself are in flight in the gateway
    /// (`pm_http_requests_in_flight` at `/metrics` counts the scrape too); false when they
    /// are not within `limit`.
    func hasInFlight(_ count: Int, within limit: Duration) async throws -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            let reply = try await send("GET", "/metrics", token: nil)
            if reply.status == 200, let inFlight = MetricSamples(reply.body)["pm_http_requests_in_flight"],
               inFlight >= Double(count + 1) {
                return true
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    /// Whether the gateway has stopped by itself within `limit`.
    func stops(within limit: Duration) async throws -> Bool {
        let deadline = ContinuousClock.now + limit
        while server.exitStatus() == nil {
            guard ContinuousClock.now < deadline else { return false }
            try await Task.sleep(for: .milliseconds(100))
        }
        return true
    }

    /// SIGTERM (graceful, or nothing after `kill`), and the files removed once it has exited.
    /// Returns at once: the wait is on a thread of its own (`ServerProcess.stopWithoutWaiting`).
    func stop() {
        server.stopWithoutWaiting()
    }
}
