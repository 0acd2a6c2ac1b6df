/// What a command prints and how it exits; the executable only writes it out.
public struct CommandOutcome: Sendable, Equatable {
    public var standardOutput: String
    public var standardError: String
    public var exitCode: Int32

    public init(standardOutput: String = "", standardError: String = "", exitCode: Int32 = 0) {
        self.standardOutput = standardOutput
        self.standardError = standardError
        self.exitCode = exitCode
    }

    /// Exit code when the gateway answered and something failed.
    public static let failedExitCode: Int32 = 1
}
