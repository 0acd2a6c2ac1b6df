import CMongoC

/// An owned copy of the write concern the pool's clients use (the connection string's,
/// after `MongoPoolOptions.apply`), for transaction commits. Freed with its owner.
final class WriteConcernHandle: @unchecked Sendable {
    // `@unchecked`: never changed after init; libmongoc only reads it (copying it into
    // transaction options).
    let pointer: OpaquePointer

    init(copyOf source: OpaquePointer) {
        pointer = mongoc_write_concern_copy(source)
    }

    deinit {
        mongoc_write_concern_destroy(pointer)
    }
}
