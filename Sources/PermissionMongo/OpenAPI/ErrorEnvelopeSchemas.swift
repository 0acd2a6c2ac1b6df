import PMBSON

/// The error envelope and the per-document failures of batch bodies, as `components.schemas`
/// (docs/API.md, "Errors").
enum ErrorEnvelopeSchemas {
    static let envelope = "ErrorEnvelope"
    static let createFailure = "CreateFailure"
    static let changeFailure = "ChangeFailure"
    static let operationError = "OperationError"

    /// Every `error.code` of docs/API.md, "Codes".
    static let codes = [
        "bad_request", "unauthorized", "forbidden", "not_found", "conflict", "duplicate_key", "idempotency_in_progress",
        "request_timeout", "payload_too_large", "unsupported_media_type", "headers_too_large", "schema_validation",
        "hook_rejected", "idempotency_key_reused", "rolled_back", "not_attempted", "failed_dependency", "rate_limited",
        "internal", "write_failed", "unavailable", "auth_unavailable", "timeout", "outcome_unknown",
    ]

    /// The codes of one document's failure in a batch body.
    static let documentCodes = ["schema_validation", "forbidden", "hook_rejected", "duplicate_key", "write_failed"]

    static var components: BSONDocument {
        typealias S = JSONSchemaValues
        let error = S.object(
            ["code": S.ref("ErrorCode"), "message": S.string("What went wrong, for people."),
             "details": S.anyObject("More about it, where docs/API.md lists some.")],
            required: ["code", "message"])
        let documentError = S.object(
            ["code": S.oneOf(documentCodes), "message": S.string("Names the field: `price must be at least 0`.")],
            required: ["code", "message"])
        return [
            "ErrorCode": S.oneOf(codes),
            operationError: error,
            envelope: S.object(
                ["error": S.ref(operationError),
                 "meta": S.object(["request_id": S.string("The response's `X-Request-Id`.")], required: ["request_id"])],
                required: ["error", "meta"],
                description: "Every non-2xx answer but the bodies of batches."),
            "DocumentError": documentError,
            createFailure: S.object(
                ["index": S.integer(minimum: 0, "The document's index in the request."), "error": S.ref("DocumentError")],
                required: ["index", "error"]),
            changeFailure: S.object(["id": S.ref(SharedSchemas.objectId), "error": S.ref("DocumentError")], required: ["id", "error"]),
        ]
    }
}
