import ArgumentParser
import PMClient

struct Batch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Send one mixed batch of operations to a running gateway (POST /batch) and show the results.",
        discussion: """
            --operations takes JSON: an array of operations, or a whole body {"operations":[...],"options":{...}}; \
            inline, @FILE, or - for standard input. The option flags override the body's options. \
            Exit status: 0 when every operation succeeded, 1 when the gateway refused the batch or an \
            operation failed, 2 when the batch could not be sent (bad input, gateway unreachable, token refused). \
            With --idempotency-key, sending the same batch again (after a timeout, say) returns the first \
            answer instead of running it twice; a note on standard error says when the answer is such a replay.
            """)

    @OptionGroup var gateway: GatewayOptions

    @Option(help: ArgumentHelp("The operations: JSON, @FILE or - (standard input).", valueName: "json"))
    var operations: String

    @Flag(inversion: .prefixedNo, help: "All or nothing (the server's default is --atomic).")
    var atomic: Bool?

    @Flag(help: "Check schemas, policies and pre-hooks; write nothing.")
    var validateOnly = false

    @Flag(help: "Return the written documents.")
    var returnRecords = false

    @Flag(help: "With --no-atomic: run every operation even after one failed.")
    var continueOnError = false

    @Flag(help: "Print the gateway's JSON answer instead of a table.")
    var json = false

    @Option(help: ArgumentHelp(
        "Sent as the Idempotency-Key header: the batch runs once however often it is sent with this key and body.",
        valueName: "key"))
    var idempotencyKey: String?

    func run() async throws {
        let overrides = BatchOptions(
            atomic: atomic, validateOnly: validateOnly ? true : nil,
            returnRecords: returnRecords ? true : nil, continueOnError: continueOnError ? true : nil)
        let outcome = await ClientCommand.outcome {
            let key = try idempotencyKey.map { value throws(ClientError) in try IdempotencyKey(validating: value) }
            let request = try OperationsInput.request(from: operations, overrides: overrides)
            return try await GatewayHTTP.using(url: gateway.resolvedURL, token: gateway.resolvedToken, timeoutSeconds: gateway.timeout) { http in
                try await BatchRunner(http: http).run(request, style: json ? .json : .table, idempotencyKey: key)
            }
        }
        try ClientCommand.finish(outcome)
    }
}
