/// Element type bytes of the BSON specification (bsonspec.org, version 1.1).
public enum BSONTypeCode {
    public static let double: UInt8 = 0x01
    public static let string: UInt8 = 0x02
    public static let document: UInt8 = 0x03
    public static let array: UInt8 = 0x04
    public static let binary: UInt8 = 0x05
    public static let undefined: UInt8 = 0x06  // deprecated
    public static let objectId: UInt8 = 0x07
    public static let bool: UInt8 = 0x08
    public static let date: UInt8 = 0x09
    public static let null: UInt8 = 0x0A
    public static let regex: UInt8 = 0x0B
    public static let dbPointer: UInt8 = 0x0C  // deprecated
    public static let javaScript: UInt8 = 0x0D
    public static let symbol: UInt8 = 0x0E  // deprecated
    public static let javaScriptWithScope: UInt8 = 0x0F  // deprecated
    public static let int32: UInt8 = 0x10
    public static let timestamp: UInt8 = 0x11
    public static let int64: UInt8 = 0x12
    public static let decimal128: UInt8 = 0x13
    public static let minKey: UInt8 = 0xFF
    public static let maxKey: UInt8 = 0x7F
}

extension BSON {
    /// The BSON element type byte of this value.
    public var typeCode: UInt8 {
        switch self {
        case .double: BSONTypeCode.double
        case .string: BSONTypeCode.string
        case .document: BSONTypeCode.document
        case .array: BSONTypeCode.array
        case .binary: BSONTypeCode.binary
        case .objectId: BSONTypeCode.objectId
        case .bool: BSONTypeCode.bool
        case .date: BSONTypeCode.date
        case .null: BSONTypeCode.null
        case .regex: BSONTypeCode.regex
        case .int32: BSONTypeCode.int32
        case .timestamp: BSONTypeCode.timestamp
        case .int64: BSONTypeCode.int64
        case .decimal128: BSONTypeCode.decimal128
        case .minKey: BSONTypeCode.minKey
        case .maxKey: BSONTypeCode.maxKey
        case .undefined: BSONTypeCode.undefined
        }
    }
}
