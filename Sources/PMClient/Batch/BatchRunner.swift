import PMBSON

/// `permission-mongo batch`: sends one mixed batch and reports its results.
public struct BatchRunner: Sendable {
    public enum OutputStyle: Sendable { case table, json }

    let http: GatewayHTTP

    public init(http: GatewayHTTP) {
        self.http = http
    }

    /// Standard error's note on a replayed answer.
    public static let replayedNote =
        "note: Idempotent-Replayed: the gateway answered with the stored answer of an earlier request with this Idempotency-Key; nothing ran again\n"

    /// Exit code 0 only when every operation succeeded. With `idempotencyKey` the batch runs
    /// once however often it is sent; a replayed answer gets a note on standard error.
    public func run(_ request: BatchRequest, style: OutputStyle, idempotencyKey: IdempotencyKey? = nil) async throws(ClientError) -> CommandOutcome {
        let reply = try await http.post("/batch", request.body, idempotencyKey: idempotencyKey)
        let note = reply.isReplayed ? Self.replayedNote : ""
        let document = try reply.json()
        let jsonText = reply.text.hasSuffix("\n") ? reply.text : reply.text + "\n"
        guard let response = BatchResponse(document) else {
            // A whole-request refusal: 400 malformed op, 403, 413, 415, ...
            let refusal = reply.refusal
            var message = "error: \(refusal)"
            if let index = reply.errorEnvelope?.details?.int("index") {
                message += " (operation \(index): \(request.op(at: index)) on \(request.collection(at: index)))"
            }
            return CommandOutcome(
                standardOutput: style == .json ? jsonText : "", standardError: note + message + "\n",
                exitCode: reply.isSuccess ? 2 : refusal.exitCode)
        }
        let output = style == .json ? jsonText : ResultTable.render(response, for: request)
        let failed = response.hasFailures || !reply.isSuccess
        return CommandOutcome(standardOutput: output, standardError: note, exitCode: failed ? CommandOutcome.failedExitCode : 0)
    }
}
