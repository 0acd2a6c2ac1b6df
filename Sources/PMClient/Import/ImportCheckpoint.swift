import Foundation
import PMBSON

/// The file beside the rejects file (`<rejects>.checkpoint`) that lets a stopped import
/// be resumed (`--resume`): which import it belongs to, then one line per chunk as it is
/// sent (the size of its pieces, so a resumed run sends the same pieces with the same
/// keys) and one per chunk whose rows all got a definite answer (with its counts). It is
/// removed when every chunk is confirmed. See docs/API.md, "Client commands".
final class ImportCheckpoint {
    /// What must be unchanged for a checkpoint to be resumed.
    public struct Header: Sendable, Equatable {
        public var identity: ImportIdentity
        public var format: String
        /// Documents per chunk.
        public var chunkSize: Int
        /// Size and modification time of a regular file; `nil` for standard input.
        public var fileSize: Int?
        public var modifiedNanoseconds: Int?

        public init(identity: ImportIdentity, format: String, chunkSize: Int, fileSize: Int? = nil, modifiedNanoseconds: Int? = nil) {
            self.identity = identity
            self.format = format
            self.chunkSize = chunkSize
            self.fileSize = fileSize
            self.modifiedNanoseconds = modifiedNanoseconds
        }

        /// The header for `identity.input` as it is now on disk.
        public static func current(identity: ImportIdentity, format: String, chunkSize: Int) -> Header {
            var header = Header(identity: identity, format: format, chunkSize: chunkSize)
            if identity.input != "-", let attributes = try? FileManager.default.attributesOfItem(atPath: identity.input),
               (attributes[.type] as? FileAttributeType) == .typeRegular {
                header.fileSize = (attributes[.size] as? NSNumber)?.intValue
                header.modifiedNanoseconds = (attributes[.modificationDate] as? Date).map {
                    Int(($0.timeIntervalSince1970 * 1e9).rounded())
                }
            }
            return header
        }
    }

    /// A chunk whose every row got a definite answer: skipped when resuming.
    public struct Entry: Sendable, Equatable {
        public var firstRow: Int
        public var lastRow: Int
        public var digest: String
        public var counts: ImportCounts

        public init(firstRow: Int, lastRow: Int, digest: String, counts: ImportCounts) {
            self.firstRow = firstRow
            self.lastRow = lastRow
            self.digest = digest
            self.counts = counts
        }
    }

    public let path: String
    public let header: Header
    /// Confirmed chunks by first row.
    public private(set) var confirmed: [Int: Entry]
    /// Pieces' size of chunks sent, by first row.
    public private(set) var pieceSizes: [Int: Int]
    /// An earlier import's checkpoint was there and is replaced (no `--resume`).
    public let replacedEarlier: Bool
    private let handle: FileHandle

    public static func path(besideRejects rejectsPath: String) -> String { rejectsPath + ".checkpoint" }

    /// Starts a checkpoint at `path` for a new import, or, with `resume`, continues the one
    /// there (a new one when there is none). Without `resume` an existing checkpoint is
    /// replaced (`replacedEarlier`): the import starts over, sending every row again with
    /// the same keys, so rows the earlier run wrote are not written twice.
    init(path: String, header: Header, resume: Bool) throws(ClientError) {
        self.path = path
        self.header = header
        let exists = FileManager.default.fileExists(atPath: path)
        replacedEarlier = exists && !resume
        // An empty file (killed before its first line) is a checkpoint of nothing yet.
        let earlier = exists && resume ? try Self.read(path, expecting: header) : nil
        confirmed = earlier?.confirmed ?? [:]
        pieceSizes = earlier?.pieceSizes ?? [:]
        let continuing = earlier != nil
        handle = try LineFile.openForAppending(path, truncate: !continuing, what: "checkpoint")
        if !continuing { append([header.json]) }
    }

    /// Rows of the confirmed chunks.
    public var confirmedRanges: RowRanges { RowRanges(confirmed.values.map { $0.firstRow...$0.lastRow }) }

    /// The chunk at `firstRow` is about to be sent in pieces of at most `pieceSize`.
    func recordSending(firstRow: Int, pieceSize: Int) {
        pieceSizes[firstRow] = pieceSize
        append([BSONDocument(["sending": .integer(firstRow), "pieces": .integer(pieceSize)])])
    }

    /// Every row of a chunk got a definite answer (its rejects are already written).
    func recordConfirmed(_ entry: Entry) {
        confirmed[entry.firstRow] = entry
        append([entry.json])
    }

    /// Closes and deletes the file: the import is complete.
    func remove() {
        close()
        try? FileManager.default.removeItem(atPath: path)
    }

    func close() {
        try? handle.close()
    }

    private func append(_ objects: [BSONDocument]) {
        handle.write(Data(LineFile.lines(objects)))
    }

    /// The confirmed chunks and piece sizes in the file at `path`; `nil` when it holds no header yet.
    private static func read(
        _ path: String, expecting header: Header
    ) throws(ClientError) -> (confirmed: [Int: Entry], pieceSizes: [Int: Int])? {
        var found: Header?
        var confirmed: [Int: Entry] = [:]
        var pieceSizes: [Int: Int] = [:]
        try LineFile.objects(in: path) { object, _ throws(ClientError) in
            if found == nil {
                guard let stored = Header(json: object) else {
                    throw .input("\(path) is not an import checkpoint: remove it, or pass another --rejects")
                }
                if let difference = stored.difference(from: header) {
                    throw .input("""
                        \(path) belongs to another import (\(difference)): resume with the same input and arguments, \
                        or remove the file to start over
                        """)
                }
                found = stored
            } else if let first = object.int("sending"), let size = object.int("pieces") {
                pieceSizes[first] = size
            } else if let entry = Entry(json: object) {
                confirmed[entry.firstRow] = entry
            }
        }
        return found == nil ? nil : (confirmed, pieceSizes)
    }
}
