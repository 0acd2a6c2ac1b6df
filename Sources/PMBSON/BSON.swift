/// A BSON value: the one in-memory document model of the gateway.
///
/// Requests are parsed from JSON straight into this model, validated and
/// authorized on it, and encoded to BSON bytes for libmongoc. Documents keep
/// their field order.
public enum BSON: Sendable, Equatable {
    case double(Double)
    case string(String)
    case document(BSONDocument)
    case array([BSON])
    case binary(subtype: UInt8, data: [UInt8])
    case objectId(ObjectId)
    case bool(Bool)
    case date(BSONDate)
    case null
    case regex(pattern: String, options: String)
    case int32(Int32)
    case timestamp(increment: UInt32, seconds: UInt32)
    case int64(Int64)
    case decimal128(low: UInt64, high: UInt64)
    case minKey
    case maxKey
    case undefined
}

extension BSON {
    /// An int32, an int64 or an integral double as `Int64`; `nil` for anything else.
    public var int64Value: Int64? {
        switch self {
        case .int32(let value): Int64(value)
        case .int64(let value): value
        case .double(let value) where value.rounded() == value: Int64(exactly: value)
        default: nil
        }
    }

    /// An int32, an int64, or a double without a fraction.
    public var isIntegral: Bool {
        switch self {
        case .int32, .int64: true
        case .double(let value): value.rounded() == value
        default: false
        }
    }
}
