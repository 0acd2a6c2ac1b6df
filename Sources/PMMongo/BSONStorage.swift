import CMongoC

// libbson's bson_t / bson_iter_t are 128-byte aligned structs, which Swift
// imports as OpaquePointer. These small owners keep every allocation paired
// with its release so nothing leaks (the suite runs under valgrind).

/// Copies the bytes of a libbson document into a Swift array.
func bsonBytes(_ document: OpaquePointer) -> [UInt8] {
    let length = Int(pm_bson_length(document))
    guard let data = bson_get_data(document), length > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: data, count: length))
}

/// Minimal structural check of a complete BSON document: length prefix matches
/// and the trailing byte is 0. The server does the deep validation.
func isPlausibleBSONDocument(_ bytes: [UInt8]) -> Bool {
    guard bytes.count >= 5, bytes.count <= Int(Int32.max), bytes.last == 0 else { return false }
    let declared = Int(bytes[0]) | Int(bytes[1]) << 8 | Int(bytes[2]) << 16 | Int(bytes[3]) << 24
    return declared == bytes.count
}

/// A heap `bson_t` owned by Swift: a copy of caller bytes (`bson_new_from_data`)
/// or a fresh empty document (`bson_new`). Destroyed on deinit.
final class OwnedBSON {
    let pointer: OpaquePointer

    /// Copies `bytes` (one complete BSON document) into a new `bson_t`.
    /// - Parameter what: names the argument in the error message.
    init(bytes: [UInt8], what: @autoclosure () -> String) throws {
        guard isPlausibleBSONDocument(bytes),
              let pointer = bytes.withUnsafeBufferPointer({ bson_new_from_data($0.baseAddress, $0.count) })
        else {
            throw MongoError(kind: .invalidArgument, message: "\(what()) is not a complete BSON document")
        }
        self.pointer = pointer
    }

    /// A new empty document.
    init() {
        pointer = bson_new()
    }

    deinit {
        bson_destroy(pointer)
    }

    var bytes: [UInt8] { bsonBytes(pointer) }
}

/// Storage for a `bson_t` out-parameter (a driver "reply"): 128-byte aligned,
/// `bson_init`ed before use so it is valid whether or not the driver writes it,
/// `bson_destroy`ed and freed on deinit.
final class ReplyBSON {
    private let storage: UnsafeMutableRawPointer
    let pointer: OpaquePointer

    init() {
        storage = UnsafeMutableRawPointer.allocate(byteCount: pm_bson_sizeof(), alignment: pm_bson_alignof())
        pointer = OpaquePointer(storage)
        bson_init(pointer)
    }

    deinit {
        bson_destroy(pointer)
        storage.deallocate()
    }

    var bytes: [UInt8] { bsonBytes(pointer) }
}

/// A `bson_iter_t` in properly aligned storage.
final class BSONIterator {
    private let storage: UnsafeMutableRawPointer
    let pointer: OpaquePointer

    private init() {
        storage = UnsafeMutableRawPointer.allocate(byteCount: pm_bson_iter_sizeof(), alignment: pm_bson_iter_alignof())
        storage.initializeMemory(as: UInt8.self, repeating: 0, count: pm_bson_iter_sizeof())
        pointer = OpaquePointer(storage)
    }

    /// Iterates the top level of `document`; nil when the document is malformed.
    convenience init?(document: OpaquePointer) {
        self.init()
        guard bson_iter_init(pointer, document) else { return nil }
    }

    /// Iterates the document or array the parent iterator currently points at.
    convenience init?(children parent: BSONIterator) {
        self.init()
        guard bson_iter_recurse(parent.pointer, pointer) else { return nil }
    }

    deinit {
        storage.deallocate()
    }

    func next() -> Bool { bson_iter_next(pointer) }

    var key: String { String(cString: bson_iter_key(pointer)) }

    var type: bson_type_t { bson_iter_type(pointer) }

    var isContainer: Bool { type == BSON_TYPE_DOCUMENT || type == BSON_TYPE_ARRAY }

    /// Numeric value (int32, int64, double, bool) as Int64; nil for other types.
    var int64: Int64? {
        switch type {
        case BSON_TYPE_INT32, BSON_TYPE_INT64, BSON_TYPE_DOUBLE, BSON_TYPE_BOOL:
            return bson_iter_as_int64(pointer)
        default:
            return nil
        }
    }

    var string: String? {
        guard type == BSON_TYPE_UTF8 else { return nil }
        var length: UInt32 = 0
        guard let chars = bson_iter_utf8(pointer, &length) else { return nil }
        return chars.withMemoryRebound(to: UInt8.self, capacity: Int(length)) {
            String(decoding: UnsafeBufferPointer(start: $0, count: Int(length)), as: UTF8.self)
        }
    }

    /// Bytes of the embedded document or array at the current position.
    var containerBytes: [UInt8]? {
        var length: UInt32 = 0
        var data: UnsafePointer<UInt8>? = nil
        switch type {
        case BSON_TYPE_DOCUMENT: bson_iter_document(pointer, &length, &data)
        case BSON_TYPE_ARRAY: bson_iter_array(pointer, &length, &data)
        default: return nil
        }
        guard let data, length > 0 else { return nil }
        return Array(UnsafeBufferPointer(start: data, count: Int(length)))
    }

    /// The current value wrapped as a one-field document `{ key: value }`.
    func valueAsDocument(key: String) -> [UInt8] {
        let document = OwnedBSON()
        guard let value = bson_iter_value(pointer) else { return document.bytes }
        _ = bson_append_value(document.pointer, key, Int32(key.utf8.count), value)
        return document.bytes
    }
}
