/// Disjoint ranges of rows (the confirmed chunks of an import), asked whether they hold a row.
public struct RowRanges: Sendable, Equatable {
    private let ranges: [ClosedRange<Int>]

    public init(_ ranges: [ClosedRange<Int>]) {
        self.ranges = ranges.sorted { $0.lowerBound < $1.lowerBound }
    }

    public var isEmpty: Bool { ranges.isEmpty }

    public func contains(_ row: Int) -> Bool {
        var low = 0
        var high = ranges.count
        while low < high {
            let middle = (low + high) / 2
            if ranges[middle].upperBound < row {
                low = middle + 1
            } else {
                high = middle
            }
        }
        return low < ranges.count && ranges[low].contains(row)
    }
}
