/// What `JSONParser` hands its results to as it recognizes the grammar.
///
/// The parser owns everything that decides acceptance (lexing, escapes, UTF-8,
/// numbers, duplicate keys, depth) and every error; a sink only shapes the
/// output. Two sinks exist: `JSONDocumentBuilder` makes the `BSON` model
/// (`JSONReader.parseDocument`), `JSONBSONWriter` appends BSON bytes
/// (`JSONReader.transcodeDocument`). The parser is generic over its sink, so
/// each pairing is specialized: no existential on the hot path.
///
/// Calls come in document order. An object is `beginObject`, then per member
/// `key` (its value's calls) `member`, then `endObject`; an array is
/// `beginArray`, then per element `elementIndex` (its value's calls)
/// `element`, then `endArray`. Byte buffers passed in are valid only during
/// the call (they point into the input or the parser's scratch buffer).
protocol JSONSink {
    /// A parsed value.
    associatedtype Value
    /// A parsed object.
    associatedtype Document
    /// A parsed object key, held until its value has been parsed.
    associatedtype Key

    /// Starts an object; the result is handed back to `endObject`.
    mutating func beginObject() -> Int
    /// A key of the current object: its UTF-8 bytes, escapes decoded.
    mutating func key(_ utf8: UnsafeRawBufferPointer) -> Key
    /// The value of the member whose key came last.
    mutating func member(_ key: Key, _ value: Value)
    mutating func endObject(_ mark: Int) -> Document
    /// An object used as a value (a member, an element or the top level).
    func documentValue(_ document: Document) -> Value

    /// Starts an array; the result is handed back to `endArray`.
    mutating func beginArray() -> Int
    /// Comes before the value of the element at `index` (0, 1, …).
    mutating func elementIndex(_ index: Int)
    mutating func element(_ value: Value)
    mutating func endArray(_ mark: Int) -> Value

    /// A string value: its UTF-8 bytes, escapes decoded.
    mutating func string(_ utf8: UnsafeRawBufferPointer) -> Value
    mutating func int32(_ value: Int32) -> Value
    mutating func int64(_ value: Int64) -> Value
    mutating func double(_ value: Double) -> Value
    mutating func bool(_ value: Bool) -> Value
    mutating func null() -> Value
}
