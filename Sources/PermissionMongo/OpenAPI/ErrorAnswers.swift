import PMBSON

/// The error answers an operation may give, each a response of `components.responses` with
/// the error envelope (docs/API.md, "Errors"). Every operation also has `default`: any other
/// error, in the envelope.
struct ErrorAnswers: OptionSet {
    let rawValue: Int

    static let badRequest = ErrorAnswers(rawValue: 1 << 0)
    static let unauthorized = ErrorAnswers(rawValue: 1 << 1)
    static let forbidden = ErrorAnswers(rawValue: 1 << 2)
    static let notFound = ErrorAnswers(rawValue: 1 << 3)
    static let conflict = ErrorAnswers(rawValue: 1 << 4)
    static let payloadTooLarge = ErrorAnswers(rawValue: 1 << 5)
    static let unsupportedMediaType = ErrorAnswers(rawValue: 1 << 6)
    static let unprocessable = ErrorAnswers(rawValue: 1 << 7)
    /// Left out of the document when `server.rate_limits` is not set.
    static let rateLimited = ErrorAnswers(rawValue: 1 << 8)
    static let `internal` = ErrorAnswers(rawValue: 1 << 9)
    static let unavailable = ErrorAnswers(rawValue: 1 << 10)

    /// A route behind the bearer token.
    static let token: ErrorAnswers = [.unauthorized, .internal, .unavailable]
    /// A route that reads a JSON body.
    static let body: ErrorAnswers = [.badRequest, .payloadTooLarge, .unsupportedMediaType]
    /// A route of a collection: unknown collection, no role with the action.
    static let collection: ErrorAnswers = [.forbidden, .notFound, .rateLimited]
    /// A write that takes an `Idempotency-Key`.
    static let idempotent: ErrorAnswers = [.conflict, .unprocessable]

    /// Status, component name, the codes it carries, and the headers beside `X-Request-Id`.
    private static let table: [(answer: ErrorAnswers, status: String, name: String, codes: String, headers: [OpenAPIHeaders.Name])] = [
        (.badRequest, "400", "BadRequest",
         "`bad_request`: a malformed body, query string, filter or update; a batch larger than `server.max_batch_size` (`details.max_batch_size`, `details.requested`); a filter matching more (`details.matched`).", []),
        (.unauthorized, "401", "Unauthorized", "`unauthorized`: a missing or invalid bearer token.", []),
        (.forbidden, "403", "Forbidden",
         "`forbidden`: no role of the caller has the action; `deny_write`; a filter, sort or match naming a field hidden by `deny_read`; on single-document routes, a document the create policy refuses.", []),
        (.notFound, "404", "NotFound",
         "`not_found`: an unknown collection, or a document, version or delivery the caller cannot see (another tenant's too).", []),
        (.conflict, "409", "Conflict",
         "`duplicate_key`: a unique value already taken (single-document routes, restore); `idempotency_in_progress`: a request with the same `Idempotency-Key` still runs (`Retry-After: 1`); `conflict`.", [.retryAfter]),
        (.payloadTooLarge, "413", "PayloadTooLarge",
         "`payload_too_large`: the body is larger than `server.max_body_bytes` (`details.max_body_bytes`).", []),
        (.unsupportedMediaType, "415", "UnsupportedMediaType",
         "`unsupported_media_type`: the body is not sent as `Content-Type: application/json`.", []),
        (.unprocessable, "422", "Unprocessable",
         "`schema_validation`, `hook_rejected`: the document failed (single-document routes, restore); `idempotency_key_reused`: the `Idempotency-Key` was used with another request.", []),
        (.rateLimited, "429", "RateLimited",
         "`rate_limited`: over `server.rate_limits` (`details.scope`, `limit`, `requested`, `retry_after`); no `Retry-After` for a request that can never fit.",
         [.retryAfter, .rateLimitLimit, .rateLimitRemaining, .rateLimitReset, .rateLimitScope]),
        (.internal, "500", "InternalError",
         "`internal`: the gateway's own failure; `write_failed`: the document could not be written (single-document routes, restore).", []),
        (.unavailable, "503", "Unavailable",
         "`unavailable` (nothing was written), `timeout` (`database.max_time_ms`), `outcome_unknown` (a write may have been applied: retry with the same `Idempotency-Key`), all with `Retry-After: 1`; `auth_unavailable`: the identity provider's key set cannot be fetched.",
         [.retryAfter]),
    ]

    /// The `default` answer's component.
    private static let otherName = "Error"

    /// `{"$ref"}` to the responses of these answers, by status, then `default`.
    func responses(rateLimits: Bool) -> [(status: String, response: BSON)] {
        var answers = self
        if !rateLimits { answers.remove(.rateLimited) }
        return Self.table.filter { answers.contains($0.answer) }.map { ($0.status, Self.ref($0.name)) }
            + [("default", Self.ref(Self.otherName))]
    }

    /// `components.responses`: one per status, and `Error` for any other.
    static func components(rateLimits: Bool) -> BSONDocument {
        var responses = BSONDocument()
        for row in table where rateLimits || row.answer != .rateLimited {
            responses.append(row.name, envelope(row.codes, headers: row.headers))
        }
        responses.append(
            otherName,
            envelope("Any other error: 408 `request_timeout`, 431 `headers_too_large`, 424 in mixed batches, … (docs/API.md, \"Errors\").", headers: []))
        return responses
    }

    private static func envelope(_ description: String, headers: [OpenAPIHeaders.Name]) -> BSON {
        OpenAPIOperation.json(description, JSONSchemaValues.ref(ErrorEnvelopeSchemas.envelope), headers: headers)
    }

    private static func ref(_ name: String) -> BSON {
        ["$ref": .string("#/components/responses/" + name)]
    }
}
