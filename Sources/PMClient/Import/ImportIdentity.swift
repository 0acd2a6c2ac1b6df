import Foundation

/// What makes an import the same import when it is run again: the input (its absolute
/// path, `-` for standard input), the collection, `--atomic` and `--import-id`. Every
/// request of the import carries an `Idempotency-Key` derived from this, the rows it holds
/// and its exact body, so the same rows sent again (a retry, a resumed or repeated run)
/// carry the same key and are written once (docs/API.md, "Client commands").
public struct ImportIdentity: Sendable, Equatable {
    public var input: String
    public var collection: String
    public var atomic: Bool
    /// `--import-id`: another value makes the same rows a new import.
    public var importID: String?

    public init(input: String, collection: String, atomic: Bool, importID: String? = nil) {
        self.input = input
        self.collection = collection
        self.atomic = atomic
        self.importID = importID
    }

    /// `path` as it is named in keys and checkpoints: absolute, `.` and `..` resolved.
    public static func absolute(_ path: String) -> String {
        guard path != "-" else { return path }
        let url = path.hasPrefix("/")
            ? URL(fileURLWithPath: path)
            : URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(path)
        return url.standardizedFileURL.path
    }

    /// `pm-import-<first row>-<last row>-<SHA-256 of the identity and the body>`: at most
    /// 255 printable ASCII characters, the same for the same rows and body, different for
    /// other rows, another body, another input, collection, mode or `--import-id`.
    func key(firstRow: Int, lastRow: Int, body: [UInt8]) -> IdempotencyKey {
        var hasher = HexDigest()
        for field in ["pm-import/1", input, collection, atomic ? "atomic" : "partial", importID ?? "", "\(firstRow)-\(lastRow)"] {
            hasher.update("\(field.utf8.count):")
            hasher.update(field)
        }
        hasher.update(body)
        return IdempotencyKey(derived: "pm-import-\(firstRow)-\(lastRow)-\(hasher.finalizeHex())")
    }
}
