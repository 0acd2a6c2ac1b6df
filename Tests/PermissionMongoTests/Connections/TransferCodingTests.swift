import HTTPTypes
import Testing
@testable import PermissionMongo

/// Only `Transfer-Encoding: chunked` alone is read; every other coding is refused.
@Suite struct TransferCodingTests {
    @Test func chunkedAloneOrNoneIsRead() {
        #expect(TransferCoding.refusal([:]) == nil)
        #expect(TransferCoding.refusal([.transferEncoding: "chunked"]) == nil)
        #expect(TransferCoding.refusal([.transferEncoding: " Chunked "]) == nil)
    }

    @Test func otherCodingsAreRefused() {
        for value in ["gzip, chunked", "gzip", "chunked, chunked", "deflate,chunked", "identity", ""] {
            let refusal = TransferCoding.refusal([.transferEncoding: value])
            #expect(refusal?.status == .badRequest, "\(value)")
            #expect(refusal?.code == "bad_request")
        }
        var twice = HTTPFields()
        twice.append(HTTPField(name: .transferEncoding, value: "gzip"))
        twice.append(HTTPField(name: .transferEncoding, value: "chunked"))
        #expect(TransferCoding.refusal(twice) != nil)
    }
}
