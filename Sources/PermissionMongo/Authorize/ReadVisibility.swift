import PMBSON
import PMPolicy

/// What of a collection's documents a caller may not see, from the `deny_read` of the
/// grants that let it read them (docs/API.md, "Field-level read rules").
///
/// A document shows a field when at least one grant whose `when` holds for that document
/// shows it: the hidden set of a document is the intersection of the `deny_read` of its
/// matching grants. Three shapes, decided once per request so that collections without
/// `deny_read` pay nothing per document:
/// - nothing hidden (no read grant hides anything, or an unconditional one hides nothing);
/// - the same fields hidden from every document (every grant hides at least what the
///   unconditional grants hide together);
/// - per document: the grants' conditions are evaluated in the gateway on each document.
struct ReadVisibility: Sendable {
    private struct HidingGrant: Sendable {
        var when: PolicyExpression?
        var hidden: HiddenFields
    }

    private enum Rule: Sendable {
        case nothingHidden
        case same(HiddenFields)
        case perDocument([HidingGrant])
    }

    private let rule: Rule
    private let user: PolicyUser
    /// Every field hidden from at least one document the caller could read: what a
    /// filter, sort or upsert match may not name. Also the hidden set of a document no
    /// read grant matches (a saved version, a document the caller wrote but cannot read).
    let refused: HiddenFields

    static let nothingHidden = ReadVisibility(rule: .nothingHidden, user: PolicyUser(id: "", tenantId: "", roles: []), refused: .none)

    private init(rule: Rule, user: PolicyUser, refused: HiddenFields) {
        self.rule = rule
        self.user = user
        self.refused = refused
    }

    /// From the caller's `read` grants. A caller without any (a writer asking for the
    /// documents it wrote) is hidden every field any of its grants hides.
    init(readGrants: [Grant], otherGrants: [Grant], user: PolicyUser) {
        self.user = user
        guard !readGrants.isEmpty else {
            let hidden = otherGrants.reduce(HiddenFields.none) { $0.union(HiddenFields($1.denyRead)) }
            rule = hidden.isEmpty ? .nothingHidden : .same(hidden)
            refused = hidden
            return
        }
        let grants = readGrants.map { HidingGrant(when: $0.when, hidden: HiddenFields($0.denyRead)) }
        let unconditional = grants.filter { $0.when == nil }.map(\.hidden)
        // Hidden from some readable document: by the unconditional grants together (they
        // match every document), or, without any, by some grant alone.
        let upperBound = unconditional.isEmpty
            ? grants.reduce(HiddenFields.none) { $0.union($1.hidden) }
            : unconditional.dropFirst().reduce(unconditional[0]) { $0.intersection($1) }
        refused = upperBound
        if upperBound.isEmpty {
            rule = .nothingHidden
        } else if grants.allSatisfy({ $0.hidden.intersection(upperBound) == upperBound }) {
            rule = .same(upperBound)
        } else {
            rule = .perDocument(grants)
        }
    }

    /// Whether no document shows fewer fields than stored.
    var hidesNothing: Bool {
        if case .nothingHidden = rule { return true }
        return false
    }

    /// The fields hidden from `document`.
    func hidden(in document: BSONDocument) -> HiddenFields {
        switch rule {
        case .nothingHidden:
            return .none
        case .same(let hidden):
            return hidden
        case .perDocument(let grants):
            var result: HiddenFields?
            for grant in grants where grant.when?.evaluate(document: document, user: user) ?? true {
                result = result.map { $0.intersection(grant.hidden) } ?? grant.hidden
                if result?.isEmpty == true { break }
            }
            return result ?? refused
        }
    }

    /// `document` as the caller may see it.
    func redacted(_ document: BSONDocument) -> BSONDocument {
        if case .nothingHidden = rule { return document }
        var copy = document
        hidden(in: document).remove(from: &copy)
        return copy
    }

    func redacted(_ documents: [BSONDocument]) -> [BSONDocument] {
        if case .nothingHidden = rule { return documents }
        return documents.map(redacted)
    }
}
