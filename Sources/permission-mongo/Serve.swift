import ArgumentParser
import Logging
import PermissionMongo

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Start the HTTP gateway.")

    @OptionGroup var options: ConfigOption

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    func run() async throws {
        var logger = Logger(label: "permission-mongo")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let config: GatewayConfig
        do {
            config = try ConfigLoader.load(directory: options.directory, environment: ProcessEnvironment.all)
        } catch {
            printProblems(error, directory: options.directory)
            throw ExitCode(2)
        }
        try await GatewayServer(config: config, logger: logger).run()
    }
}
