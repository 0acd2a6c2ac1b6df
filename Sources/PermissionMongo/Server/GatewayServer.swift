import Hummingbird
import Logging
import NIOPosix
import PMMongo

/// Builds and runs the gateway: thread pool → libmongoc pool → indexes → router → HTTP
/// server. `run()` serves until SIGINT/SIGTERM, lets in-flight requests finish, then
/// closes the MongoDB pool and the thread pool.
public struct GatewayServer: Sendable {
    public typealias App = Application<RouterResponder<GatewayRequestContext>>

    let config: GatewayConfig
    let logger: Logger

    public init(config: GatewayConfig, logger: Logger) {
        self.config = config
        self.logger = logger
    }

    public func run() async throws {
        try await withApplication { app in
            logger.info(
                "serving", metadata: ["listen": "\(config.server.listenHost):\(config.server.listenPort)",
                                      "collections": "\(config.collections.keys.sorted())"])
            try await app.runService()
        }
        logger.info("stopped")
    }

    /// Everything `run()` sets up, handed to `body` (tests run it with a live test client).
    public func withApplication<T: Sendable>(_ body: (App) async throws -> T) async throws -> T {
        let threadPool = NIOThreadPool(numberOfThreads: max(2, config.database.poolSize))
        threadPool.start()
        let pool: MongoClientPool
        do {
            pool = try MongoClientPool(
                uri: config.database.uri, database: config.database.name,
                maxPoolSize: config.database.poolSize,
                serializeTransactions: config.database.serializeTransactions,
                threadPool: threadPool, logger: logger)
        } catch {
            try await threadPool.shutdownGracefully()
            throw error
        }
        do {
            let store = DocumentStore(pool: pool, logger: logger)
            try await IndexSetup(collections: Array(config.collections.values), pool: pool, logger: logger).ensure()
            let gateway = await Gateway(config: config, store: store, logger: logger)
            let result = try await body(makeApplication(gateway))
            pool.close()
            try await threadPool.shutdownGracefully()
            return result
        } catch {
            pool.close()
            try? await threadPool.shutdownGracefully()
            throw error
        }
    }

    private func makeApplication(_ gateway: Gateway) -> App {
        let router = Router(context: GatewayRequestContext.self)
        router.add(middleware: RequestIdMiddleware())
        router.add(middleware: ErrorEnvelopeMiddleware())
        HealthRoutes(gateway: gateway).register(on: router)
        DataRoutes(gateway: gateway).register(on: router)
        return Application(
            router: router,
            configuration: .init(address: .hostname(config.server.listenHost, port: config.server.listenPort)),
            logger: logger)
    }
}
