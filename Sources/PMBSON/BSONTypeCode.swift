/// Element type bytes of the BSON specification (bsonspec.org, version 1.1).
enum BSONTypeCode {
    static let double: UInt8 = 0x01
    static let string: UInt8 = 0x02
    static let document: UInt8 = 0x03
    static let array: UInt8 = 0x04
    static let binary: UInt8 = 0x05
    static let undefined: UInt8 = 0x06  // deprecated
    static let objectId: UInt8 = 0x07
    static let bool: UInt8 = 0x08
    static let date: UInt8 = 0x09
    static let null: UInt8 = 0x0A
    static let regex: UInt8 = 0x0B
    static let dbPointer: UInt8 = 0x0C  // deprecated
    static let javaScript: UInt8 = 0x0D
    static let symbol: UInt8 = 0x0E  // deprecated
    static let javaScriptWithScope: UInt8 = 0x0F  // deprecated
    static let int32: UInt8 = 0x10
    static let timestamp: UInt8 = 0x11
    static let int64: UInt8 = 0x12
    static let decimal128: UInt8 = 0x13
    static let minKey: UInt8 = 0xFF
    static let maxKey: UInt8 = 0x7F
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
