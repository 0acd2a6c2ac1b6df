/// The text of one configuration file, named as problems should name it.
public struct ConfigSource: Sendable {
    /// E.g. `policies/products.yml`.
    public var file: String
    public var text: String

    public init(file: String, text: String) {
        self.file = file
        self.text = text
    }
}
