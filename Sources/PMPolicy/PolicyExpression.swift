import PMBSON

/// Who is asking: the values `user.*` refers to in a `when` expression.
public struct PolicyUser: Sendable, Equatable {
    public var id: String
    public var tenantId: String
    public var roles: [String]
    /// Every claim of the JWT payload, for `user.claims.<name>`.
    public var claims: BSONDocument

    public init(id: String, tenantId: String, roles: [String], claims: BSONDocument = BSONDocument()) {
        self.id = id
        self.tenantId = tenantId
        self.roles = roles
        self.claims = claims
    }
}

/// A problem in a `when` expression, with its 1-based position in the expression source.
public struct PolicySyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var message: String

    public init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "\(line):\(column): \(message)" }
}

/// A compiled `when` expression. Parsed once at configuration load.
///
/// Pipeline: `Lexer` → `Parser` (syntax tree, `AST.swift`) → `Checker` (checked
/// `PolicyNode`) → `Evaluator` / `FilterCompiler`. Both back ends follow MongoDB
/// query semantics (`MongoComparison`, `MongoFieldPath`) so that
/// `evaluate(document:user:)` is true exactly when `mongoFilter(user:)` matches
/// the stored document. The language is described in `PMPolicy.docc/WhenLanguage.md`.
public struct PolicyExpression: Sendable {
    public let source: String
    let root: PolicyNode
    /// The filter, computed once when it does not depend on the caller.
    private let staticFilter: BSONDocument?

    /// The canonical always-true filter: `{}`.
    public static let alwaysTrueFilter: BSONDocument = FilterCompiler.alwaysTrue
    /// The canonical always-false filter: `{"_id": {"$exists": false}}`.
    public static let alwaysFalseFilter: BSONDocument = FilterCompiler.alwaysFalse

    /// Parses and checks `source`; also rejects anything that cannot be compiled to a MongoDB filter.
    public static func parse(_ source: String) throws(PolicySyntaxError) -> PolicyExpression {
        let syntax = try Parser.parse(source)
        let root = try Checker.check(syntax)
        return PolicyExpression(source: source, root: root)
    }

    private init(source: String, root: PolicyNode) {
        self.source = source
        self.root = root
        staticFilter = root.referencesUser ? nil : FilterCompiler.compile(root, user: Evaluator.nobody)
        documentFields = root.documentFields
    }

    /// The top-level document fields the condition reads (the first component of each
    /// `doc.*` path): evaluating it on a document holding only these fields gives the
    /// same answer as on the whole document.
    public let documentFields: [String]

    /// Whether the condition reads `user.*` (otherwise the filter is the same for everyone).
    public var dependsOnUser: Bool { root.referencesUser }

    /// Evaluates against a document with MongoDB query semantics.
    public func evaluate(document: BSONDocument, user: PolicyUser) -> Bool {
        Evaluator.evaluate(root, document: document, user: user)
    }

    /// The same condition as a MongoDB filter with `user.*` values substituted.
    /// Always true is `alwaysTrueFilter` (`{}`), always false `alwaysFalseFilter`.
    public func mongoFilter(user: PolicyUser) -> BSONDocument {
        staticFilter ?? FilterCompiler.compile(root, user: user)
    }

    /// `true` / `false` when, for this caller, the condition does not depend on the
    /// document at all (e.g. `user.roles contains "admin"`); `nil` otherwise.
    public func constantResult(user: PolicyUser) -> Bool? {
        if case .constant(let b) = FilterCompiler.build(root, user: user) { return b }
        return nil
    }
}
