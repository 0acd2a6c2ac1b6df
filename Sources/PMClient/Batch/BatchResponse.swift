import PMBSON

/// The answer to `POST /batch`.
public struct BatchResponse: Sendable, Equatable {
    public struct Result: Sendable, Equatable {
        public var index: Int
        public var status: Int
        public var id: String?
        public var data: BSON?
        public var count: Int?
        public var errorCode: String?
        public var errorMessage: String?

        public var failed: Bool { status >= 400 }
    }

    public var success: Bool
    public var total: Int
    public var succeeded: Int
    public var failed: Int
    public var results: [Result]

    /// Reads the response body; `nil` when it does not have that shape.
    public init?(_ document: BSONDocument) {
        guard let success = document.bool("success"), let items = document.array("results") else { return nil }
        var results: [Result] = []
        for item in items {
            guard let result = item.documentValue, let index = result.int("index"), let status = result.int("status") else {
                return nil
            }
            let error = result.document("error")
            results.append(Result(
                index: index, status: status, id: Self.idText(result["id"]), data: result["data"],
                count: result.int("count"), errorCode: error?.string("code"), errorMessage: error?.string("message")))
        }
        self.success = success
        self.results = results
        self.total = document.int("total") ?? results.count
        self.failed = document.int("failed") ?? results.filter(\.failed).count
        self.succeeded = document.int("succeeded") ?? (results.count - self.failed)
    }

    /// Something failed: the batch says so, or an operation has a 4xx/5xx status.
    public var hasFailures: Bool {
        !success || failed > 0 || results.contains(where: \.failed)
    }

    private static func idText(_ value: BSON?) -> String? {
        switch value {
        case .string(let id)?: id
        case .objectId(let id)?: id.hex
        case nil, .null?: nil
        case let other?: other.jsonString
        }
    }
}
