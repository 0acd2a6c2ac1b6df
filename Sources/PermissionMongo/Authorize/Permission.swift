import PMBSON
import PMPolicy

/// What a caller may do with one action on one collection: the grants of its roles
/// (inherited ones included), each with its own `when`.
///
/// This is the seam between the policy language and the request pipeline: creates ask
/// `allows(_:)` per document, reads/updates/deletes put `filter` into the database query.
struct Permission: Sendable {
    let action: Action
    let grants: [Grant]
    let user: PolicyUser
    /// The top-level document fields the grants' conditions read.
    let documentFields: [String]
    private let documentFieldKeys: [[UInt8]]

    /// 403 for the whole request when none of the caller's roles has the action.
    init(caller: Caller, action: Action, collection: String, policy: CollectionPolicy?) throws {
        self.action = action
        user = caller
        grants = policy?.grants(roles: caller.roles, action: action) ?? []
        documentFields = Self.documentFields(of: grants)
        documentFieldKeys = documentFields.map { Array($0.utf8) }
        guard !grants.isEmpty else {
            throw DomainError.forbidden("no role of the caller may \(action.rawValue) in \(collection)")
        }
    }

    private init(action: Action, grants: [Grant], user: PolicyUser) {
        self.action = action
        self.grants = grants
        self.user = user
        self.documentFields = Self.documentFields(of: grants)
        self.documentFieldKeys = documentFields.map { Array($0.utf8) }
    }

    private static func documentFields(of grants: [Grant]) -> [String] {
        var names: [String] = []
        for grant in grants {
            for name in grant.when?.documentFields ?? [] where !names.contains(name) { names.append(name) }
        }
        return names
    }

    /// The grants under which this update may run: those whose role's `deny_write`
    /// it does not touch. None left: 403 naming the field.
    func allowingWrites(of spec: UpdateSpec) throws -> Permission {
        let usable = grants.filter { grant in !grant.denyWrite.contains(where: spec.touches) }
        guard usable.isEmpty else { return Permission(action: action, grants: usable, user: user) }
        let field = grants.lazy.flatMap(\.denyWrite).first(where: spec.touches) ?? "a denied field"
        throw DomainError.forbidden("the caller's role may not write \(field)")
    }

    private var isUnconditional: Bool { grants.contains { $0.when == nil } }

    /// Whether the document passes at least one grant's `when` (evaluated in the gateway).
    func allows(_ document: BSONDocument) -> Bool {
        if isUnconditional { return true }
        return grants.contains { $0.when?.evaluate(document: document, user: user) ?? true }
    }

    /// `allows(_:)` for a document given as BSON bytes (at `offset` in `bytes`): only the
    /// top-level fields the grants' conditions read are decoded, into `scratch` (reused
    /// from one document to the next). `nil` when the bytes are not a well-formed document.
    func allows(bsonBytes bytes: UnsafeRawBufferPointer, at offset: Int, scratch: inout BSONDocument) -> Bool? {
        if isUnconditional { return true }
        guard var cursor = BSONElementCursor(document: offset, in: bytes) else { return nil }
        scratch.elements.removeAll(keepingCapacity: true)
        while let element = cursor.next() {
            let key = UnsafeRawBufferPointer(rebasing: bytes[element.keyStart..<element.keyEnd])
            guard let index = documentFieldKeys.firstIndex(where: { bsonKeysEqual($0, key) }) else { continue }
            guard let value = try? BSON(decoding: element, in: bytes) else { return nil }
            scratch.append(documentFields[index], value)
        }
        guard !cursor.isMalformed else { return nil }
        return allows(scratch)
    }

    /// The same condition as a MongoDB filter, or nil when every document is allowed.
    var filter: BSONDocument? {
        if isUnconditional { return nil }
        let filters = grants.compactMap { $0.when?.mongoFilter(user: user) }
        if filters.count == 1 { return filters[0] }
        return BSONDocument(["$or": .array(filters.map { .document($0) })])
    }

    var deniedMessage: String {
        "the caller's policy does not allow \(action.rawValue) of this document"
    }
}
