/// Collects every configuration problem while loading goes on.
final class ProblemList {
    private(set) var problems: [ConfigProblem] = []

    func add(_ problem: ConfigProblem) {
        problems.append(problem)
    }

    func add(file: String?, line: Int?, column: Int? = nil, key: String, _ message: String) {
        problems.append(ConfigProblem(file: file, line: line, column: column, key: key, message: message))
    }

    var isEmpty: Bool { problems.isEmpty }
}
