import Foundation
import PMBSON
import Testing
@testable import PMClient

@Suite("Idempotency keys: validation, SHA-256 and the keys of an import")
struct IdempotencyKeyTests {
    static let identity = ImportIdentity(input: "/data/rows.ndjson", collection: "products", atomic: false)
    static let body = Array(#"{"documents":[{"name":"Row 1"},{"name":"Row 2"}]}"#.utf8)

    @Test func sha256KnownAnswers() {
        let vectors: [(String, String)] = [
            ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
            (String(repeating: "a", count: 55), "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"),
            (String(repeating: "a", count: 56), "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"),
            (String(repeating: "a", count: 64), "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"),
            (String(repeating: "a", count: 1000), "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3"),
        ]
        for (text, digest) in vectors {
            #expect(HexDigest.hex(Array(text.utf8)) == digest, "\(text.count) bytes")
        }
        var pieces = HexDigest()  // fed in parts, across block boundaries
        pieces.update(String(repeating: "a", count: 30))
        pieces.update(String(repeating: "a", count: 970))
        #expect(pieces.finalizeHex() == vectors.last?.1)
    }

    @Test func userKeysAreOneTo255PrintableASCII() throws {
        #expect(try IdempotencyKey(validating: "order-2024-0001").value == "order-2024-0001")
        #expect(try IdempotencyKey(validating: String(repeating: "k", count: 255)).value.count == 255)
        #expect(try IdempotencyKey(validating: "a key with spaces ~!").value == "a key with spaces ~!")
        for bad in ["", String(repeating: "k", count: 256), "tab\there", "line\nbreak", "é", " leading", "trailing ", "\u{7F}"] {
            #expect(throws: ClientError.usage(
                "--idempotency-key must be 1 to 255 printable ASCII characters, not starting or ending with a space"
            )) { try IdempotencyKey(validating: bad) }
        }
    }

    @Test func chunkKeysAreStableAndValid() {
        let key = Self.identity.key(firstRow: 1, lastRow: 500, body: Self.body)
        #expect(key == Self.identity.key(firstRow: 1, lastRow: 500, body: Self.body))
        #expect(key.value.hasPrefix("pm-import-1-500-"))
        #expect(key.value.count == "pm-import-1-500-".count + 64)
        #expect(IdempotencyKey.isValid(key.value))
        let huge = Self.identity.key(firstRow: Int.max - 1, lastRow: Int.max, body: Self.body)
        #expect(IdempotencyKey.isValid(huge.value))
        #expect(huge.value.count <= 255)
    }

    @Test func chunkKeysDifferForAnythingThatMakesAnotherRequest() {
        let key = Self.identity.key(firstRow: 1, lastRow: 500, body: Self.body)
        var others = [
            Self.identity.key(firstRow: 2, lastRow: 500, body: Self.body),
            Self.identity.key(firstRow: 1, lastRow: 499, body: Self.body),
            Self.identity.key(firstRow: 1, lastRow: 500, body: Self.body + [0x20]),
        ]
        for change in [
            ImportIdentity(input: "/data/other.ndjson", collection: "products", atomic: false),
            ImportIdentity(input: "/data/rows.ndjson", collection: "orders", atomic: false),
            ImportIdentity(input: "/data/rows.ndjson", collection: "products", atomic: true),
            ImportIdentity(input: "/data/rows.ndjson", collection: "products", atomic: false, importID: "again"),
        ] {
            others.append(change.key(firstRow: 1, lastRow: 500, body: Self.body))
        }
        #expect(Set(others + [key]).count == others.count + 1)
        // Fields are length-prefixed: moving text between them makes another key.
        let a = ImportIdentity(input: "/a", collection: "bc", atomic: false).key(firstRow: 1, lastRow: 1, body: [])
        let b = ImportIdentity(input: "/ab", collection: "c", atomic: false).key(firstRow: 1, lastRow: 1, body: [])
        #expect(a != b)
    }

    @Test func inputsAreNamedByAbsolutePath() {
        #expect(ImportIdentity.absolute("-") == "-")
        #expect(ImportIdentity.absolute("/data/./x/../rows.csv") == "/data/rows.csv")
        let relative = ImportIdentity.absolute("rows.csv")
        #expect(relative == FileManager.default.currentDirectoryPath + "/rows.csv")
    }

    @Test func replayedAndRetryAfterHeaders() {
        let replay = GatewayReply(status: 201, body: Array("{}".utf8), headers: ["idempotent-replayed": "true", "retry-after": "3"])
        #expect(replay.isReplayed)
        #expect(replay.retryAfterSeconds == 3)
        let fresh = GatewayReply(status: 201, body: Array("{}".utf8), headers: ["retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"])
        #expect(!fresh.isReplayed)
        #expect(fresh.retryAfterSeconds == nil)
    }
}
