import PMBSON

/// A document that passed schema and policy and is ready to be written, with its
/// position in the request.
struct PreparedDocument: Sendable {
    var index: Int
    var id: ObjectId
    var document: BSONDocument
}
