import CMongoC

/// The fields PMMongo reads from driver/server replies.
struct ReplyInfo {
    /// Top-level numeric fields (insertedCount, matchedCount, n, ok, code, ...).
    var numbers: [String: Int64] = [:]
    var errorLabels: [String] = []
    var writeErrors: [MongoWriteError] = []
    /// `upsertedId` wrapped as `{ "_id": value }`.
    var upsertedId: [UInt8]?

    init() {}

    init(parsing document: OpaquePointer) {
        guard let iterator = BSONIterator(document: document) else { return }
        while iterator.next() {
            let key = iterator.key
            switch key {
            case "errorLabels":
                guard let labels = BSONIterator(children: iterator) else { continue }
                while labels.next() {
                    if let label = labels.string { errorLabels.append(label) }
                }
            case "writeErrors":
                guard let entries = BSONIterator(children: iterator) else { continue }
                while entries.next() {
                    if let error = Self.writeError(entries) { writeErrors.append(error) }
                }
            case "upsertedId":
                upsertedId = iterator.valueAsDocument(key: "_id")
            default:
                if let number = iterator.int64 { numbers[key] = number }
            }
        }
    }

    private static func writeError(_ entry: BSONIterator) -> MongoWriteError? {
        guard entry.type == BSON_TYPE_DOCUMENT, let fields = BSONIterator(children: entry) else { return nil }
        var index = 0
        var code = 0
        var message = ""
        while fields.next() {
            switch fields.key {
            case "index": index = Int(fields.int64 ?? 0)
            case "code": code = Int(fields.int64 ?? 0)
            case "errmsg": message = fields.string ?? ""
            default: break
            }
        }
        return MongoWriteError(index: index, code: code, message: message, document: entry.containerBytes ?? [])
    }
}
