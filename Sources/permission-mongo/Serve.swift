import ArgumentParser
import Logging
import PermissionMongo

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Start the HTTP gateway.")

    @OptionGroup var options: ConfigOption

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    func run() async throws {
        LocalTimeZone.readOnce()
        EventLoopExecutor.install()
        var logger = Logger(label: "permission-mongo")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let config = try options.load()
        MemoryPolicy.keepFreedMemoryBetweenTrims()
        let trimmer = Task { await MemoryPolicy.trimPeriodically() }
        defer { trimmer.cancel() }
        let source = ConfigReloadSource(directory: options.directory, environment: ProcessEnvironment.all)
        try await GatewayServer(config: config, logger: logger, reloadSource: source).run()
    }
}
