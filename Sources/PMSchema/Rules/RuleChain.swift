import PMBSON

/// A field's rules as the byte path checks them: a chain of links, each holding one rule as
/// its concrete type. Walking it is a virtual call per rule, with no existential copy and no
/// reference counting (each link is reached through a `let` of the one before), which the
/// byte path does for every rule of every field of every document.
class RuleChain: @unchecked Sendable {
    // `@unchecked`: links are immutable after the schema is compiled.
    static let end = RuleChain()

    /// Whether every rule from here on surely passes (see `FieldRule.accepts`).
    func accepts(_ value: EncodedValue) -> Bool { true }

    /// The chain of `rules`, in order.
    static func of(_ rules: [any FieldRule]) -> RuleChain {
        rules.reversed().reduce(end) { next, rule in rule.linked(before: next) }
    }
}

private final class RuleLink<Rule: FieldRule>: RuleChain, @unchecked Sendable {
    let rule: Rule
    let next: RuleChain

    init(_ rule: Rule, next: RuleChain) {
        self.rule = rule
        self.next = next
    }

    override func accepts(_ value: EncodedValue) -> Bool {
        rule.accepts(value) && next.accepts(value)
    }
}

extension FieldRule {
    fileprivate func linked(before next: RuleChain) -> RuleChain {
        RuleLink(self, next: next)
    }
}
