import PMBSON
// TEMPORARY until the PMBSON transcoder lands.
extension JSONReader {
    static func transcodeDocument(_ bytes: UnsafeRawBufferPointer, into out: inout [UInt8]) throws(JSONError) {
        try parseDocument(bytes).encode(into: &out)
    }
}
