import CMongoC

/// A client session (`mongoc_client_session_t`) of an `OpenTransaction`.
/// Pass it as `session:` to every operation that belongs to the transaction.
/// Only valid inside the `OpenTransaction.run` job it is given to.
public final class MongoSession {
    private var pointer: OpaquePointer?
    let client: OpaquePointer

    /// 1 on the first run of the transaction body, 2 on the first retry, ...
    public internal(set) var attempt: Int = 0

    init(pointer: OpaquePointer, client: OpaquePointer) {
        self.pointer = pointer
        self.client = client
    }

    deinit {
        if let pointer { mongoc_client_session_destroy(pointer) }
    }

    /// Ends the session (returns it to the driver's session pool).
    func end() {
        if let pointer { mongoc_client_session_destroy(pointer) }
        pointer = nil
    }

    func livePointer() throws -> OpaquePointer {
        guard let pointer else { throw MongoError.closed("MongoSession used after its transaction ended") }
        return pointer
    }
}

@available(*, unavailable, message: "a MongoSession is only valid inside its transaction body")
extension MongoSession: Sendable {}
