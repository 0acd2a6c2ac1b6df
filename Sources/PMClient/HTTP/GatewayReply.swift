import Foundation
import PMBSON

/// One HTTP answer of the gateway.
public struct GatewayReply: Sendable {
    public let status: Int
    public let body: [UInt8]
    /// Header fields by lower-cased name.
    public let headers: [String: String]
    /// The body as a JSON object, parsed once; `nil` when it is not one.
    public let document: BSONDocument?

    public init(status: Int, body: [UInt8], headers: [String: String] = [:]) {
        self.status = status
        self.body = body
        self.headers = headers
        self.document = try? JSONReader.parseDocument(body)
    }

    public var isSuccess: Bool { (200...299).contains(status) }

    /// `Idempotent-Replayed: true`: the stored answer of an earlier request with the same
    /// `Idempotency-Key`; nothing ran again (docs/API.md, "Client commands").
    public var isReplayed: Bool {
        headers[IdempotencyKey.replayedHeader.lowercased()]?.trimmingCharacters(in: .whitespaces).lowercased() == "true"
    }

    /// `Retry-After` in seconds, when the answer carries it (the delay form, not a date).
    public var retryAfterSeconds: Double? {
        guard let text = headers["retry-after"]?.trimmingCharacters(in: .whitespaces),
              let seconds = Int(text), seconds >= 0 else { return nil }
        return Double(seconds)
    }

    public var text: String { String(decoding: body, as: UTF8.self) }

    /// The body as a JSON object, or `ClientError.notJSON` quoting its start.
    public func json() throws(ClientError) -> BSONDocument {
        guard let document else { throw ClientError.notJSON(status: status, excerpt: excerpt) }
        return document
    }

    /// The error envelope's code, message and details, when the body is one.
    public var errorEnvelope: (code: String, message: String, details: BSONDocument?)? {
        guard let error = document?.document("error"),
              let code = error.string("code") else { return nil }
        return (code, error.string("message") ?? "", error.document("details"))
    }

    /// What an answer that is not the expected one stands for: a refusal when it is the
    /// the error envelope, else an unexpected (or non-JSON) body.
    public var refusal: ClientError {
        if let envelope = errorEnvelope {
            return .refused(status: status, code: envelope.code, message: envelope.message)
        }
        if (try? JSONReader.parseValue(body)) != nil { return .unexpected(status: status, excerpt: excerpt) }
        return .notJSON(status: status, excerpt: excerpt)
    }

    /// The first 200 characters of the body on one line.
    var excerpt: String {
        let text = self.text.replacingOccurrences(of: "\n", with: " ")
        return text.count > 200 ? String(text.prefix(200)) + "…" : text
    }
}
