import PMBSON

/// The checkpoint's lines: the header
/// `{"import_checkpoint":1,"input":...,"collection":...,"atomic":false,"import_id":...,"format":"ndjson","chunk":500,"size":...,"modified_ns":...}`,
/// `{"sending":<first row>,"pieces":<size>}` and
/// `{"confirmed":<first row>,"last":<row>,"digest":"...","sent":n,"created":n,"rejected":n,"local":n}`.
extension ImportCheckpoint.Header {
    static let version = 1

    var json: BSONDocument {
        var out = BSONDocument()
        out.append("import_checkpoint", .integer(Self.version))
        out.append("input", .string(identity.input))
        out.append("collection", .string(identity.collection))
        out.append("atomic", .bool(identity.atomic))
        if let importID = identity.importID { out.append("import_id", .string(importID)) }
        out.append("format", .string(format))
        out.append("chunk", .integer(chunkSize))
        if let fileSize { out.append("size", .integer(fileSize)) }
        if let modifiedNanoseconds { out.append("modified_ns", .integer(modifiedNanoseconds)) }
        return out
    }

    init?(json: BSONDocument) {
        guard json.int("import_checkpoint") == Self.version, let input = json.string("input"),
              let collection = json.string("collection"), let atomic = json.bool("atomic"),
              let format = json.string("format"), let chunkSize = json.int("chunk") else { return nil }
        self.init(
            identity: ImportIdentity(input: input, collection: collection, atomic: atomic, importID: json.string("import_id")),
            format: format, chunkSize: chunkSize, fileSize: json.int("size"), modifiedNanoseconds: json.int("modified_ns"))
    }

    /// The first thing that differs from `now`, worded for the user; `nil` when nothing does.
    func difference(from now: Self) -> String? {
        func changed(_ what: String, _ then: Any?, _ current: Any?) -> String {
            "\(what): \(then.map { "\($0)" } ?? "none") then, \(current.map { "\($0)" } ?? "none") now"
        }
        if identity.input != now.identity.input { return changed("input", identity.input, now.identity.input) }
        if fileSize != now.fileSize || modifiedNanoseconds != now.modifiedNanoseconds {
            return "the input changed since (size or modification time)"
        }
        if identity.collection != now.identity.collection {
            return changed("--collection", identity.collection, now.identity.collection)
        }
        if identity.atomic != now.identity.atomic { return changed("--atomic", identity.atomic, now.identity.atomic) }
        if identity.importID != now.identity.importID { return changed("--import-id", identity.importID, now.identity.importID) }
        if format != now.format { return changed("format", format, now.format) }
        if chunkSize != now.chunkSize { return changed("documents per chunk", chunkSize, now.chunkSize) }
        return nil
    }
}

extension ImportCheckpoint.Entry {
    var json: BSONDocument {
        var out = BSONDocument()
        out.append("confirmed", .integer(firstRow))
        out.append("last", .integer(lastRow))
        out.append("digest", .string(digest))
        out.append("sent", .integer(counts.sent))
        out.append("created", .integer(counts.created))
        out.append("rejected", .integer(counts.rejected))
        out.append("local", .integer(counts.rejectedLocally))
        return out
    }

    init?(json: BSONDocument) {
        guard let firstRow = json.int("confirmed"), let lastRow = json.int("last"), let digest = json.string("digest"),
              let sent = json.int("sent"), let created = json.int("created"), let rejected = json.int("rejected"),
              let local = json.int("local") else { return nil }
        var counts = ImportCounts()
        counts.sent = sent
        counts.created = created
        counts.rejected = rejected
        counts.rejectedLocally = local
        self.init(firstRow: firstRow, lastRow: lastRow, digest: digest, counts: counts)
    }
}
