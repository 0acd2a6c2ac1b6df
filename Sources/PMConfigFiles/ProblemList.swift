/// Collects every configuration problem while loading goes on.
package final class ProblemList {
    package private(set) var problems: [ConfigProblem] = []

    package init() {}

    package func add(_ problem: ConfigProblem) {
        problems.append(problem)
    }

    package func add(file: String?, line: Int?, column: Int? = nil, key: String, _ message: String) {
        problems.append(ConfigProblem(file: file, line: line, column: column, key: key, message: message))
    }

    package var isEmpty: Bool { problems.isEmpty }

    /// By file (directory and environment problems last), then line; otherwise as found.
    package var inFileOrder: [ConfigProblem] {
        problems.enumerated().sorted { a, b in
            let left = (a.element.file ?? "\u{10FFFF}", a.element.line ?? Int.max, a.offset)
            let right = (b.element.file ?? "\u{10FFFF}", b.element.line ?? Int.max, b.offset)
            return left < right
        }.map(\.element)
    }
}
