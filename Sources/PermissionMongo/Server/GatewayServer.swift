import Hummingbird
import Logging
import NIOPosix
import PMCurl
import PMMongo
import ServiceLifecycle

/// Builds and runs the gateway: thread pool → libmongoc pool → indexes → router → HTTP
/// server. `run()` serves until SIGINT/SIGTERM, lets in-flight requests finish for
/// `server.shutdown_grace_ms` (then answers them 503), closes the MongoDB pool and the
/// thread pool, and exits (`ShutdownCountdown`).
public struct GatewayServer: Sendable {
    public typealias App = Application<ShutdownDeadlineResponder<RouterResponder<GatewayRequestContext>>>

    let config: GatewayConfig
    let logger: Logger
    /// The client name MongoDB sees (server logs, `$currentOp`, fail points scoped by `appName`).
    let appName: String
    /// Where SIGHUP re-reads the configuration; nil: SIGHUP is not handled.
    let reloadSource: ConfigReloadSource?
    /// What `GET /metrics` serves, kept across runs of the application.
    let metrics = GatewayMetrics()

    /// Bytes of a pre-hook's answer read (a batch-mode hook's `rejected` list).
    static let maxHookAnswerBytes = 1 << 20

    public init(
        config: GatewayConfig, logger: Logger, appName: String = "permission-mongo", reloadSource: ConfigReloadSource? = nil
    ) {
        self.config = config
        self.logger = logger
        self.appName = appName
        self.reloadSource = reloadSource
    }

    public func run() async throws {
        let deadline = ShutdownDeadline(graceMs: config.server.shutdownGraceMs)
        try await withApplication(deadline: deadline) { app in
            logger.info(
                "serving", metadata: ["listen": "\(config.server.listenHost):\(config.server.listenPort)",
                                      "collections": "\(config.collections.keys.sorted())"])
            let services = ServiceGroup(configuration: .init(
                services: [app, ShutdownCountdown(deadline: deadline, logger: logger)],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            try await services.run()
        }
        logger.info("stopped")
    }

    /// Everything `run()` sets up, handed to `body` (tests run it with a live test client).
    public func withApplication<T: Sendable>(_ body: (App) async throws -> T) async throws -> T {
        try await withApplication(deadline: ShutdownDeadline(graceMs: config.server.shutdownGraceMs), body)
    }

    /// The same, with the deadline at which requests still running at shutdown are answered.
    func withApplication<T: Sendable>(deadline: ShutdownDeadline, _ body: (App) async throws -> T) async throws -> T {
        let threadPool = NIOThreadPool(numberOfThreads: max(2, config.database.poolSize))
        threadPool.start()
        let pool: MongoClientPool
        do {
            pool = try MongoClientPool(
                uri: config.database.uri, database: config.database.name,
                maxPoolSize: config.database.poolSize,
                serializeTransactions: config.database.serializeTransactions,
                appName: appName, options: config.database.poolOptions, threadPool: threadPool, logger: logger,
                observer: metrics.database)
        } catch {
            try await threadPool.shutdownGracefully()
            throw error
        }
        // Hook calls: pre-hooks and post-hook deliveries each on a libcurl multi handle of
        // their own thread. Pre-hook answers may carry a batch-mode hook's rejections.
        let curl: (pre: CurlClient, delivery: CurlClient)
        do {
            let pre = try CurlClient(maxConcurrent: config.server.hookConcurrency, maxBodyBytes: Self.maxHookAnswerBytes)
            do {
                curl = (pre, try CurlClient(maxConcurrent: config.server.hookConcurrency))
            } catch {
                await pre.shutdown()
                throw error
            }
        } catch {
            pool.close()
            try await threadPool.shutdownGracefully()
            throw error
        }
        do {
            let store = DocumentStore(pool: pool, logger: logger)
            try await IndexSetup(collections: Array(config.collections.values), store: store, logger: logger).ensure()
            let hooks = GatewayHooks(config: config, clients: curl, store: store, metrics: metrics.hooks, logger: logger)
            if hooks.recordsDeliveries {
                // `_pm_outbox` and its index exist before the first write records a delivery:
                // a transaction creating the collection while the worker creates its index
                // would fail.
                await hooks.outbox.ensureIndexes()
            }
            let gateway = try await Gateway(config: config, store: store, hooks: hooks, metrics: metrics, logger: logger)
            // Seeded before serving: /readyz never answers for a backend nobody has asked.
            let health = DatabaseHealth(ready: await store.isReachable())
            let probe = DatabaseHealthProbe(store: store, health: health, interval: .seconds(1), logger: logger)
            let result: T
            do {
                result = try await body(makeApplication(gateway, health: health, probe: probe, deadline: deadline))
            } catch {
                await gateway.verifier.shutdown()
                throw error
            }
            await gateway.verifier.shutdown()
            await curl.pre.shutdown()
            await curl.delivery.shutdown()
            pool.close()
            try await threadPool.shutdownGracefully()
            return result
        } catch {
            await curl.pre.shutdown()
            await curl.delivery.shutdown()
            pool.close()
            try? await threadPool.shutdownGracefully()
            throw error
        }
    }

    private func makeApplication(
        _ gateway: Gateway, health: DatabaseHealth, probe: DatabaseHealthProbe, deadline: ShutdownDeadline
    ) -> App {
        let live = LiveGateway(gateway)
        let router = Router(context: GatewayRequestContext.self)
        router.add(middleware: RequestMetricsMiddleware(metrics: gateway.metrics))
        router.add(middleware: RequestIdMiddleware())
        router.add(middleware: RetryBudgetMiddleware(limit: .milliseconds(config.database.retryBudgetMS)))
        // Both always: a reload may turn rate limits or tenant shares on.
        router.add(middleware: RateLimitHeadersMiddleware())
        router.add(middleware: ErrorEnvelopeMiddleware(database: config.database))
        router.add(middleware: TenantShareMiddleware())
        HealthRoutes(live: live, health: health).register(on: router)
        DataRoutes.register(on: router, live)
        ChangeRoutes.register(on: router, live)
        VersionRoutes.register(on: router, live)
        MixedBatchRoutes.register(on: router, live)
        CollectionRoutes.register(on: router, live)
        HookRoutes.register(on: router, live)
        OpenAPIRoutes.register(on: router, live)
        let reload = reloadSource.map { ReloadOnHangup(reload: ConfigReload(source: $0, live: live, logger: logger)) }
        let budget = FileDescriptorBudget.apply(config.server, poolSize: config.database.poolSize)
        if budget.maxConnections < config.server.connections.maxConnections {
            logger.warning(
                "server.max_connections lowered to what the open-file limit allows",
                metadata: ["max_connections": "\(budget.maxConnections)", "configured": "\(config.server.connections.maxConnections)",
                           "open_file_limit": "\(budget.openFileLimit)", "headroom": "\(budget.headroom)"])
        }
        return Application(
            responder: ShutdownDeadlineResponder(router: router.buildResponder(), deadline: deadline, logger: logger),
            server: .gateway(
                config.server.connections,
                openConnections: OpenConnections(
                    limit: budget.maxConnections, metrics: ConnectionMetrics(registry: gateway.metrics.registry)),
                logger: logger),
            configuration: .init(address: .hostname(config.server.listenHost, port: config.server.listenPort)),
            services: [gateway.hooks.deliveryService(), probe] + [gateway.verifier.refreshService(), reload].compactMap { $0 },
            logger: logger)
    }
}
