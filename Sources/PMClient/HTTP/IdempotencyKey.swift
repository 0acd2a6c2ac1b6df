/// The value of an `Idempotency-Key` request header: 1 to 255 printable ASCII characters
/// (docs/API.md, "Client commands"). A write sent again with the same key and body is
/// answered with the first answer instead of running again.
public struct IdempotencyKey: Sendable, Hashable, CustomStringConvertible {
    public static let headerName = "Idempotency-Key"
    /// The answer header saying the answer is the stored one of an earlier request.
    public static let replayedHeader = "Idempotent-Replayed"
    public static let maxLength = 255

    public let value: String

    /// A key given by the user (`--idempotency-key`); `option` names it in the message.
    public init(validating value: String, option: String = "--idempotency-key") throws(ClientError) {
        guard Self.isValid(value) else {
            throw .usage("\(option) must be 1 to \(Self.maxLength) printable ASCII characters, not starting or ending with a space")
        }
        self.value = value
    }

    /// A key built by the client itself, already known to be valid.
    init(derived value: String) {
        precondition(Self.isValid(value), "derived idempotency key is not 1-255 printable ASCII: \(value)")
        self.value = value
    }

    /// Printable ASCII, 1 to 255 of them; no space at either end (HTTP drops those).
    public static func isValid(_ value: String) -> Bool {
        let bytes = value.utf8
        return (1...maxLength).contains(bytes.count) && bytes.allSatisfy { (0x20...0x7E).contains($0) }
            && bytes.first != 0x20 && bytes.last != 0x20
    }

    var header: (name: String, value: String) { (Self.headerName, value) }

    public var description: String { value }
}
