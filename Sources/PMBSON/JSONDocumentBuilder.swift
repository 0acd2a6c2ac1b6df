/// The `JSONSink` behind `JSONReader.parseDocument`/`parseValue`: builds the
/// `BSON` model. Members and elements of the open containers wait on scratch
/// stacks reused across nesting levels, so each object or array costs one
/// exactly-sized allocation when it ends.
struct JSONDocumentBuilder: JSONSink {
    /// Members of the objects being parsed, innermost last.
    private var memberStack: [BSONDocument.Element] = []
    /// Elements of the arrays being parsed, innermost last.
    private var elementStack: [BSON] = []

    init() {
        memberStack.reserveCapacity(32)
    }

    // MARK: Objects

    @inline(__always)
    mutating func beginObject() -> Int { memberStack.count }

    @inline(__always)
    mutating func key(_ utf8: UnsafeRawBufferPointer) -> String {
        String(decoding: utf8, as: UTF8.self)
    }

    @inline(__always)
    mutating func member(_ key: String, _ value: BSON) {
        memberStack.append(BSONDocument.Element(key: key, value: value))
    }

    mutating func endObject(_ base: Int) -> BSONDocument {
        if memberStack.count == base { return BSONDocument() }
        let document = BSONDocument(elements: Array(memberStack[base...]))
        memberStack.removeSubrange(base...)
        return document
    }

    @inline(__always)
    func documentValue(_ document: BSONDocument) -> BSON { .document(document) }

    // MARK: Arrays

    @inline(__always)
    mutating func beginArray() -> Int { elementStack.count }

    @inline(__always)
    mutating func elementIndex(_ index: Int) {}

    @inline(__always)
    mutating func element(_ value: BSON) { elementStack.append(value) }

    mutating func endArray(_ base: Int) -> BSON {
        if elementStack.count == base { return .array([]) }
        let array = Array(elementStack[base...])
        elementStack.removeSubrange(base...)
        return .array(array)
    }

    // MARK: Scalars

    @inline(__always)
    mutating func string(_ utf8: UnsafeRawBufferPointer) -> BSON {
        .string(String(decoding: utf8, as: UTF8.self))
    }

    @inline(__always) mutating func int32(_ value: Int32) -> BSON { .int32(value) }
    @inline(__always) mutating func int64(_ value: Int64) -> BSON { .int64(value) }
    @inline(__always) mutating func double(_ value: Double) -> BSON { .double(value) }
    @inline(__always) mutating func bool(_ value: Bool) -> BSON { .bool(value) }
    @inline(__always) mutating func null() -> BSON { .null }
}
