import ArgumentParser
import Foundation
import PMClient

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import an NDJSON, JSON array or CSV file into a collection through a running gateway.",
        discussion: """
            Rows go in chunks to POST /{collection}/batch, several chunks at a time. Rows that cannot be read \
            or are refused are written with their error to the rejects file. CSV files start with a header \
            row; with --config the values are typed by the collection's schema, without it they stay strings. \
            When the gateway refuses a chunk as larger than its max_batch_size, the chunk is split and later \
            chunks use that size. Every request carries an Idempotency-Key derived from the input, the rows \
            and their content: a request that got no definite answer is sent again with it (--retries), and \
            an import that was stopped continues with --resume from the checkpoint beside the rejects file, \
            without writing a row twice. Exit status: 0 when every row was created, 1 when a row was rejected \
            or the import stopped early, 2 when it could not start (bad input, gateway unreachable, token refused).
            """)

    @OptionGroup var gateway: GatewayOptions

    @Option(help: "The collection to import into.")
    var collection: String

    @Argument(help: ArgumentHelp("The file (.ndjson, .jsonl, .json, .csv), or - for standard input (needs --format).", valueName: "file"))
    var file: String

    @Option(help: "ndjson (or jsonl), json (an array) or csv (default: from the file's extension).")
    var format: String?

    @Option(help: ArgumentHelp("Configuration directory: type CSV values by the collection's schema, respect max_batch_size.", valueName: "dir"))
    var config: String?

    @Option(help: "Documents per request.")
    var chunk: Int = 500

    @Option(help: "Requests in flight at once.")
    var concurrency: Int = 4

    @Flag(help: "Send each chunk with ?atomic=true: a chunk with a failing row writes nothing.")
    var atomic = false

    @Option(help: ArgumentHelp("Where rejected rows go (default: FILE.rejects.ndjson).", valueName: "path"))
    var rejects: String?

    @Option(help: "Times a request without a definite answer (none, 5xx, 409 idempotency_in_progress, 429) is sent again with its Idempotency-Key.")
    var retries: Int = RetryPolicy.defaultRetries

    @Option(help: ArgumentHelp(
        "Seconds before the first retry, doubled for each next one (with jitter; at least Retry-After, at most 30).",
        valueName: "seconds"))
    var retryDelay: Double = RetryPolicy.defaultBaseDelay

    @Flag(help: "Continue an import that was stopped: skip the chunks its checkpoint (beside the rejects file) confirmed.")
    var resume = false

    @Option(help: ArgumentHelp(
        "Mixed into every Idempotency-Key: another value imports rows the gateway already saw as new ones.", valueName: "id"))
    var importId: String?

    @Option(help: ArgumentHelp("Seconds between progress lines when standard error is not a terminal.", valueName: "seconds"))
    var progressInterval: Double = 2

    @Flag(help: "No progress display.")
    var quiet = false

    func run() async throws {
        let outcome = await ClientCommand.outcome {
            let format = try ImportFormat.resolve(explicit: self.format, path: file)
            var typing = SchemaTyping()
            var maxBatchSize: Int?
            if let config {
                let loaded = try ClientConfig.load(directory: config)
                typing = SchemaTyping(schema: try ClientConfig.schema(of: collection, in: loaded, directory: config))
                maxBatchSize = loaded.maxBatchSize
            }
            guard progressInterval > 0 else { throw ClientError.usage("--progress-interval must be more than 0") }
            let input = try BufferedInput(path: file)
            let rejectsPath = rejects ?? (file == "-" ? "stdin" : file) + ".rejects.ndjson"
            let settings = ImportRunner.Settings(
                collection: collection, chunkSize: chunk, concurrency: concurrency, atomic: atomic, maxBatchSize: maxBatchSize,
                input: ImportIdentity.absolute(file), format: format, importID: importId,
                retry: RetryPolicy(retries: retries, baseDelay: retryDelay), resume: resume)
            let progress = ProgressReporter(
                style: quiet ? .none : .automatic, interval: .milliseconds(Int(progressInterval * 1000)),
                write: { text in FileHandle.standardError.write(Data(text.utf8)) })
            return try await GatewayHTTP.using(
                url: gateway.resolvedURL, token: gateway.resolvedToken, maxConcurrent: concurrency, timeoutSeconds: gateway.timeout
            ) { http in
                let runner = try ImportRunner(
                    http: http, settings: settings, reader: format.reader(input, typing: typing),
                    rejectsPath: rejectsPath, progress: progress,
                    notice: { FileHandle.standardError.write(Data("note: \($0)\n".utf8)) })
                let summary = await runner.run()
                return CommandOutcome(standardOutput: summary.text, standardError: summary.problem ?? "", exitCode: summary.exitCode)
            }
        }
        try ClientCommand.finish(outcome)
    }
}
