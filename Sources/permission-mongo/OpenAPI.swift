import ArgumentParser
import PMBSON
import PermissionMongo

struct OpenAPI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "openapi",
        abstract: "Print the OpenAPI 3.1 document of a configuration (every collection, action and route) as JSON.")

    @OptionGroup var options: ConfigOption

    func run() async throws {
        let config = try options.load()
        print(OpenAPIDocument.everything(config).jsonString)
    }
}
