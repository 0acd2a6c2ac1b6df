import PMBSON
import PMPolicy

enum PolicyFuzzing {
    private static let document: BSONDocument = {
        var document = BSONDocument()
        document["owner"] = .string("u1")
        document["status"] = .string("draft")
        document["price"] = .int32(12)
        document["tags"] = .array([.string("a"), .string("b")])
        return document
    }()
    private static let user = PolicyUser(id: "u1", tenantId: "t1", roles: ["editor"])

    static func run(_ bytes: [UInt8]) -> String? {
        guard let source = String(validating: bytes, as: UTF8.self),
              let expression = try? PolicyExpression.parse(source)
        else { return nil }
        let matches = expression.evaluate(document: document, user: user)
        _ = expression.mongoFilter(user: user)
        if let constant = expression.constantResult(user: user), constant != matches {
            return "constant result \(constant) but the document evaluates to \(matches)"
        }
        guard let again = try? PolicyExpression.parse(source),
              again.evaluate(document: document, user: user) == matches
        else { return "parsing the same source twice gives different conditions" }
        return nil
    }
}
