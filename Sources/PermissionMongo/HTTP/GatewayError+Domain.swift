import HTTPTypes

/// The statuses and envelope codes of the operations' errors.
extension GatewayError {
    init(_ error: DomainError) {
        switch error {
        case .invalidRequest(let message, let details): self.init(.badRequest, message, details: details)
        case .notFound(let message): self.init(.notFound, message)
        case .forbidden(let message): self.init(.forbidden, message)
        case .conflict(let message): self.init(.conflict, message)
        case .dependencyFailed(let message):
            self.init(status: .failedDependency, code: "failed_dependency", message: message)
        case .unavailable(let message):
            self.init(.unavailable, message)
            retryAfter = 1
        case .timeout:
            self.init(status: .serviceUnavailable, code: "timeout", message: error.message)
            retryAfter = 1
        case .outcomeUnknown(let message):
            self.init(status: .serviceUnavailable, code: "outcome_unknown", message: message)
            retryAfter = 1
        case .idempotencyKeyReused(let message):
            self.init(status: .unprocessableContent, code: "idempotency_key_reused", message: message)
        case .idempotencyInProgress(let message):
            self.init(status: .conflict, code: "idempotency_in_progress", message: message)
            retryAfter = 1
        case .rateLimited(let message, let retryAfter, let details):
            self.init(status: .tooManyRequests, code: "rate_limited", message: message, details: details)
            self.retryAfter = retryAfter
        case .internal(let message): self.init(.internal, message)
        }
    }

    /// What a single-document route (or a mixed-batch operation) answers for the failure of
    /// its one document.
    init(_ failure: DocumentFailure) {
        switch failure.code {
        case .schemaValidation, .hookRejected: self.init(.unprocessable, failure.message, code: failure.code.rawValue)
        case .duplicateKey: self.init(.conflict, failure.message, code: failure.code.rawValue)
        case .forbidden: self.init(.forbidden, failure.message)
        case .notFound: self.init(.notFound, failure.message)
        case .writeFailed where failure.causedByRequest:
            self.init(.unprocessable, failure.message, code: failure.code.rawValue)
        case .writeFailed: self.init(.internal, failure.message, code: failure.code.rawValue)
        }
    }

    /// A failed operation of a mixed batch: its own error, or 424 for one undone or not run.
    init(_ failure: OperationResult.Failure) {
        switch failure {
        case .refused(let error): self.init(error)
        case .documentFailed(let failure): self.init(failure)
        case .rolledBack(let failing):
            self.init(
                status: .failedDependency, code: "rolled_back",
                message: "undone: operation \(failing) failed and the batch is atomic")
        case .notAttempted(let failing):
            self.init(status: .failedDependency, code: "not_attempted", message: "operation \(failing) failed first")
        }
    }
}

extension HTTPResponse.Status {
    /// 424: an operation of a mixed batch that depended on one that failed.
    static let failedDependency = HTTPResponse.Status(code: 424, reasonPhrase: "Failed Dependency")
}
