/// Why a JSON text or BSON bytes were rejected, and where.
///
/// `offset` is the zero-based byte offset in the input where the problem was found;
/// `message` is a sentence for humans that already names that offset (e.g.
/// `invalid UTF-8 at byte 17`), suitable for a 400 response.
public struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
    public var offset: Int
    public var message: String

    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }

    public var description: String { message }
}

/// A JSON text the reader refuses.
public typealias JSONError = InputError
/// BSON bytes the decoder refuses.
public typealias BSONDecodingError = InputError
