import PMBSON
import PMSchema

extension UpdateSpec {
    /// The request's `update`, checked: a bad operator, a protected field or a bad path is 400.
    static func checked(_ update: BSONDocument, schema: CollectionSchema) throws -> UpdateSpec {
        do {
            return try UpdateSpec(update, schema: schema)
        } catch let error as UpdateError {
            throw DomainError.invalidRequest(error.message)
        }
    }
}
