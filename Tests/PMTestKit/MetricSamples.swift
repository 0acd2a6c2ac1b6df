/// The samples of a Prometheus text exposition by series, written as the gateway writes
/// them (`name{label="value",...}`, labels in the order the code gives), for checking
/// exact values.
public struct MetricSamples: Sendable {
    public let text: String
    private let values: [String: Double]

    public init(_ text: String) {
        self.text = text
        var values: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            values[String(line[..<space])] = value
        }
        self.values = values
    }

    /// The value of `series`; nil when the exposition has no such sample.
    public subscript(series: String) -> Double? { values[series] }
}
