import ArgumentParser
import PMConfigFiles
import PermissionMongo

struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate a configuration directory; prints every problem and exits non-zero if any.")

    @OptionGroup var options: ConfigOption

    func run() async throws {
        do {
            let config = try ConfigLoader.load(directory: options.directory, environment: ProcessEnvironment.all)
            print("\(options.directory): configuration OK (\(config.collections.count) collection(s))")
        } catch {
            printProblems(error, directory: options.directory)
            throw ExitCode(1)
        }
    }
}

func printProblems(_ error: ConfigError, directory: String) {
    var stderr = StandardError()
    print("\(directory): \(error.problems.count) configuration problem(s):", to: &stderr)
    for problem in error.problems {
        print("  \(problem)", to: &stderr)
    }
}
