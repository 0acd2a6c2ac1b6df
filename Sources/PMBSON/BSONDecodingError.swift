/// Why BSON bytes were rejected: `offset` is where in the input, `message`
/// says what (and names the offset).
public struct BSONDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    public var offset: Int
    public var message: String

    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }

    public var description: String { message }
}
