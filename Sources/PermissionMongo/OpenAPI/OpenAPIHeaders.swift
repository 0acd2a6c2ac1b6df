import PMBSON

/// The response headers of `components.headers` (docs/API.md, "Request ids", "Idempotency-Key",
/// "Rate limits").
enum OpenAPIHeaders {
    enum Name: String, CaseIterable {
        case requestId = "X-Request-Id"
        case idempotentReplayed = "Idempotent-Replayed"
        case retryAfter = "Retry-After"
        case rateLimitLimit = "X-RateLimit-Limit"
        case rateLimitRemaining = "X-RateLimit-Remaining"
        case rateLimitReset = "X-RateLimit-Reset"
        case rateLimitScope = "X-RateLimit-Scope"

        var header: BSON {
            typealias S = JSONSchemaValues
            switch self {
            case .requestId: return header("The request's id: the client's own `X-Request-Id`, or one the gateway made.", S.string(), required: true)
            case .idempotentReplayed:
                return header("`true`: the stored answer of an earlier request with the same `Idempotency-Key`.", S.oneOf(["true"]))
            case .retryAfter: return header("Seconds to wait before trying again.", S.integer(minimum: 0))
            case .rateLimitLimit: return header("The bucket's `burst`.", S.integer(minimum: 1))
            case .rateLimitRemaining: return header("Whole tokens left after this request.", S.integer(minimum: 0))
            case .rateLimitReset: return header("Seconds until the bucket is full again.", S.integer(minimum: 0))
            case .rateLimitScope: return header("Which bucket the three others describe.", S.oneOf(["tenant", "user"]))
            }
        }

        private func header(_ description: String, _ schema: BSON, required: Bool = false) -> BSON {
            var header: BSONDocument = ["description": .string(description), "schema": schema]
            if required { header.append("required", true) }
            return .document(header)
        }
    }

    /// The rate-limit headers a counted request's answers carry.
    static let rateLimit: [Name] = [.rateLimitLimit, .rateLimitRemaining, .rateLimitReset, .rateLimitScope]

    /// `{"<name>": {"$ref"}}` for each of `names`.
    static func refs(_ names: [Name]) -> BSONDocument {
        var headers = BSONDocument()
        for name in names { headers.append(name.rawValue, ["$ref": .string("#/components/headers/" + name.rawValue)]) }
        return headers
    }

    static var components: BSONDocument {
        BSONDocument(elements: Name.allCases.map { BSONDocument.Element(key: $0.rawValue, value: $0.header) })
    }
}
