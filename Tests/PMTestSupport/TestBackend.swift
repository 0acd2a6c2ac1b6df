import Foundation
import Logging
import NIOPosix
import PMMongo

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The MongoDB-compatible server the test suites run against.
///
/// `PM_TEST_MONGODB_URI` when set; otherwise ONE SecantusDB per test process,
/// started on first use (in-memory storage, test commands enabled) and killed
/// when the test process exits. Failing to find or start it is an error:
/// tests fail, they never skip.
public enum TestBackend {
    public struct StartError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Connection string of the test backend (starting it on first call).
    public static func uri() async throws -> String {
        try await Launcher.shared.uri()
    }

    /// A database name unique to this call, so parallel tests never share data.
    /// - Parameter hint: readable part, typically the test function name.
    public static func uniqueDatabaseName(_ hint: String = #function) -> String {
        let cleaned = String(hint.unicodeScalars.map { scalar -> Character in
            (scalar.properties.isAlphabetic && scalar.isASCII) || ("0"..."9").contains(scalar) ? Character(scalar) : "_"
        }.prefix(28))
        let serial = counter.withLock { value -> Int in
            value += 1
            return value
        }
        let random = String(UInt32.random(in: .min ... .max), radix: 16)
        return "pmt_\(cleaned)_\(serial)_\(random)"
    }

    /// A pool on the test backend with its own unique database.
    public static func makePool(
        database: String? = nil,
        hint: String = #function,
        maxPoolSize: Int = 8,
        serializeTransactions: Bool = false,
        appName: String = "permission-mongo",
        logger: Logger = Logger(label: "pm.test.mongo")
    ) async throws -> MongoClientPool {
        try MongoClientPool(
            uri: try await uri(),
            database: database ?? uniqueDatabaseName(hint),
            maxPoolSize: maxPoolSize,
            serializeTransactions: serializeTransactions,
            appName: appName,
            threadPool: NIOThreadPool.singleton,
            logger: logger
        )
    }

    /// Runs a `configureFailPoint` command (given as extended JSON) against `admin`.
    public static func configureFailPoint(_ commandJSON: String, pool: MongoClientPool) async throws {
        let command = try TestBSON.document(commandJSON)
        _ = try await pool.withConnection { connection in
            try connection.runCommand(command, database: "admin")
        }
    }

    /// Arms `failCommand`: the next `times` matching commands fail with
    /// `errorCode` and `errorLabels` (every one until disarmed when `alwaysOn`). The fail
    /// point is server-wide: pass `appName` (a pool created with the same `appName`) so
    /// that tests running in parallel are not hit.
    public static func failCommand(
        _ commands: [String], errorCode: Int, errorLabels: [String] = [], times: Int = 1, alwaysOn: Bool = false,
        appName: String? = nil, pool: MongoClientPool
    ) async throws {
        func quoted(_ items: [String]) -> String { "[" + items.map { "\"\($0)\"" }.joined(separator: ",") + "]" }
        let scope = appName.map { #","appName":"\#($0)""# } ?? ""
        let mode = alwaysOn ? #""alwaysOn""# : #"{"times":\#(times)}"#
        try await configureFailPoint(
            """
            {"configureFailPoint":"failCommand","mode":\(mode),
             "data":{"failCommands":\(quoted(commands)),"errorCode":\(errorCode),"errorLabels":\(quoted(errorLabels))\(scope)}}
            """,
            pool: pool
        )
    }

    /// Disarms `failCommand`.
    public static func disableFailCommand(pool: MongoClientPool) async throws {
        try await configureFailPoint(#"{"configureFailPoint":"failCommand","mode":"off"}"#, pool: pool)
    }

    /// The SecantusDB executable (`PM_SECANTUSD`, the package's `.venv`, or `PATH`), for
    /// tests that run a backend of their own.
    public static func secantusExecutable() throws -> String {
        try Launcher.findSecantus(environment: ProcessInfo.processInfo.environment)
    }

    /// Sends one ping to the server at `uri`, waiting at most about a second for it.
    public static func ping(uri: String) async throws {
        let probe = try MongoClientPool(
            uri: adding("serverSelectionTimeoutMS=1000&connectTimeoutMS=1000", to: uri), database: "admin",
            maxPoolSize: 1, threadPool: NIOThreadPool.singleton, logger: Logger(label: "pm.test.ping"))
        defer { probe.close() }
        try await probe.ping()
    }

    /// `uri` with `options` (`key=value&…`) added to its query.
    public static func adding(_ options: String, to uri: String) -> String {
        uri + (uri.contains("?") ? "&" : "/?") + options
    }

    private static let counter = LockedCounter()
}

#if canImport(Glibc)
private let streamSocketType = Int32(SOCK_STREAM.rawValue)
#else
private let streamSocketType = SOCK_STREAM
#endif

private final class LockedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func withLock<T>(_ body: (inout Int) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}

/// Starts SecantusDB once per process.
private actor Launcher {
    static let shared = Launcher()

    private var starting: Task<String, Error>?

    func uri() async throws -> String {
        if let starting { return try await starting.value }
        let task = Task { try await Self.resolve() }
        starting = task
        return try await task.value
    }

    private static func resolve() async throws -> String {
        let environment = ProcessInfo.processInfo.environment
        if let uri = environment["PM_TEST_MONGODB_URI"], !uri.isEmpty { return uri }
        let executable = try findSecantus(environment: environment)
        var lastError: Error?
        for _ in 0..<3 {  // a free port can be taken before the server binds it
            do {
                return try await start(executable: executable)
            } catch {
                lastError = error
            }
        }
        throw lastError ?? TestBackend.StartError(description: "could not start SecantusDB")
    }

    /// `PM_SECANTUSD`, then `<package root>/.venv/bin/secantusd-py`, then `PATH`.
    static func findSecantus(environment: [String: String]) throws -> String {
        let fileManager = FileManager.default
        var tried: [String] = []
        if let explicit = environment["PM_SECANTUSD"], !explicit.isEmpty {
            guard fileManager.isExecutableFile(atPath: explicit) else {
                throw TestBackend.StartError(description: "PM_SECANTUSD=\(explicit) is not an executable file")
            }
            return explicit
        }
        let venv = RepositoryFiles.root + "/.venv/bin/secantusd-py"
        tried.append(venv)
        if fileManager.isExecutableFile(atPath: venv) { return venv }
        for directory in (environment["PATH"] ?? "").split(separator: ":") {
            let candidate = "\(directory)/secantusd-py"
            if fileManager.isExecutableFile(atPath: candidate) { return candidate }
        }
        tried.append("secantusd-py on PATH")
        throw TestBackend.StartError(description: """
            no test MongoDB: set PM_TEST_MONGODB_URI, or install SecantusDB (secantusd-py) \
            and set PM_SECANTUSD; tried \(tried.joined(separator: ", "))
            """)
    }

    private static func start(executable: String) async throws -> String {
        let port = try TestBackend.freePort()
        let workDirectory = FileManager.default.temporaryDirectory
            .appendingPathComponent("pm-secantus-\(getpid())-\(port)").path
        try FileManager.default.createDirectory(atPath: workDirectory, withIntermediateDirectories: true)
        // Its own work directory: no stray ./secantusd.toml is picked up, and
        // the `:memory:` store (a temp dir under TMPDIR) is removed with it.
        let server = try ServerProcess.spawn(
            executable: executable,
            arguments: [
                "--host", "127.0.0.1", "--port", String(port),
                "--storage-path", ":memory:", "--enable-test-commands",
            ],
            workDirectory: workDirectory
        )
        let uri = "mongodb://127.0.0.1:\(port)/?directConnection=true"
        let deadline = ContinuousClock.now + .seconds(60)
        func giveUp(_ why: String) -> TestBackend.StartError {
            let log = server.logTail()
            server.stop()
            return TestBackend.StartError(description: "SecantusDB (\(executable)) \(why); its log:\n\(log)")
        }

        // 1. The port accepts TCP connections.
        while !TestBackend.canConnect(port: port) {
            if let status = server.exitStatus() { throw giveUp(status) }
            guard ContinuousClock.now < deadline else { throw giveUp("did not listen on port \(port) within 60 s") }
            try await Task.sleep(for: .milliseconds(100))
        }
        // 2. It answers a ping through the driver.
        let probe = try MongoClientPool(
            uri: uri + "&serverSelectionTimeoutMS=2000&connectTimeoutMS=2000",
            database: "admin", maxPoolSize: 1, threadPool: NIOThreadPool.singleton,
            logger: Logger(label: "pm.test.backend")
        )
        defer { probe.close() }
        while true {
            do {
                try await probe.ping()
                return uri
            } catch {
                if let status = server.exitStatus() { throw giveUp(status) }
                guard ContinuousClock.now < deadline else { throw giveUp("did not answer ping within 60 s: \(error)") }
                try await Task.sleep(for: .milliseconds(200))
            }
        }
    }
}

extension TestBackend {
    /// A TCP port on 127.0.0.1 that was free a moment ago.
    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, streamSocketType, 0)
        guard fd >= 0 else { throw TestBackend.StartError(description: "socket() failed: errno \(errno)") }
        defer { close(fd) }
        var address = loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { throw TestBackend.StartError(description: "bind() failed: errno \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw TestBackend.StartError(description: "getsockname() failed: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Whether 127.0.0.1:`port` accepts a connection.
    public static func canConnect(port: Int) -> Bool {
        let fd = socket(AF_INET, streamSocketType, 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }
}
