/// Why a JSON text was rejected, and where.
///
/// `offset` is the zero-based byte offset in the input where the problem was
/// found; `message` is a sentence for humans that already names that offset
/// (e.g. `invalid UTF-8 at byte 17`), suitable for a 400 response.
public struct JSONError: Error, Sendable, Equatable, CustomStringConvertible {
    public var offset: Int
    public var message: String

    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }

    public var description: String { message }
}
