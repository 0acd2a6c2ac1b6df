import PMBSON

extension BSON {
    /// A number of a server reply (`numIndexesAfter`, an index key's direction), whichever
    /// numeric type the server keeps it in.
    var replyNumber: Double? {
        switch self {
        case .int32(let number): Double(number)
        case .int64(let number): Double(number)
        case .double(let number): number
        default: nil
        }
    }
}
