import PMBSON

/// A path and its operations by method, in the order the document lists them.
struct OpenAPIPathItem {
    var path: String
    var operations: [(method: String, operation: OpenAPIOperation)] = []
}

/// One operation of a path item: what it does, what it takes and what it answers. Its error
/// answers are named by `errors` and added after the successes, by status.
struct OpenAPIOperation {
    var id: String
    var tag: String
    var summary: String
    var description: String
    /// References to `components.parameters`, or parameters of its own.
    var parameters: [BSON] = []
    var requestBody: BSON?
    /// By status (`"200"`), in the order given.
    var responses: BSONDocument = BSONDocument()
    var errors: ErrorAnswers = []
    /// `false`: served without a token (`security: []`); otherwise the document's bearer token.
    var needsToken = true

    /// The operation object; `rateLimits`: `server.rate_limits` is set (its 429 is answered).
    func document(rateLimits: Bool) -> BSON {
        var operation: BSONDocument = [
            "tags": [.string(tag)], "summary": .string(summary), "description": .string(description),
            "operationId": .string(id),
        ]
        let all = [OpenAPIParameters.ref(.requestId)] + parameters
        operation.append("parameters", .array(all))
        if let requestBody { operation.append("requestBody", requestBody) }
        var answers = responses
        for (status, response) in errors.responses(rateLimits: rateLimits) where answers[status] == nil {
            answers.append(status, response)
        }
        operation.append("responses", .document(answers))
        if !needsToken { operation.append("security", []) }
        return .document(operation)
    }

    /// A JSON request body of `schema`, which the route requires.
    static func jsonBody(_ schema: BSON, description: String) -> BSON {
        [
            "description": .string(description), "required": true,
            "content": ["application/json": ["schema": schema]],
        ]
    }

    /// A JSON answer of `schema`, with `X-Request-Id` and the `headers` named.
    static func json(_ description: String, _ schema: BSON, headers: [OpenAPIHeaders.Name] = []) -> BSON {
        [
            "description": .string(description), "headers": .document(OpenAPIHeaders.refs([.requestId] + headers)),
            "content": ["application/json": ["schema": schema]],
        ]
    }

    /// An answer without a body.
    static func empty(_ description: String, headers: [OpenAPIHeaders.Name] = []) -> BSON {
        ["description": .string(description), "headers": .document(OpenAPIHeaders.refs([.requestId] + headers))]
    }
}
