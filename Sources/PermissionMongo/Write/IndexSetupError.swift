import PMConfigFiles

/// Declared indexes the backend cannot have as configured (docs/API.md, "Indexes"), each a
/// problem at the place that declares it: `policies/products.yml:31:
/// collections.products.indexes[0]: index by_category on collection products: …`. Start-up
/// stops with it; `IndexSetup.ensure()` for a later configuration throws it the same way.
public struct IndexSetupError: Error, Sendable, CustomStringConvertible {
    public var problems: [ConfigProblem]

    public init(problems: [ConfigProblem]) {
        self.problems = problems
    }

    /// `2 declared index problem(s):` and each problem on a line of its own.
    public var description: String {
        (["\(problems.count) declared index problem(s):"] + problems.map { "  \($0)" }).joined(separator: "\n")
    }
}
