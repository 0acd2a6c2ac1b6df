import Hummingbird
import NIOCore
import PMBSON

/// Reads a request body as a JSON object, enforcing the order of checks of docs/API.md:
/// 415 (not JSON), 413 (over `max_body_bytes`), then 400 (not a valid JSON object).
enum JSONBody {
    static func read(_ request: Request, maxBytes: Int) async throws -> BSONDocument {
        try await withBytes(request, maxBytes: maxBytes) { try parse($0) }
    }

    /// `work` on the body's bytes (`bytes`): where it is called, or on `LargeBodyExecutor` when
    /// the body is large, so that parsing and checking it do not hold the connection's event
    /// loop (docs/API.md, "One tenant cannot hold up the others").
    static func withBytes<T>(
        _ request: Request, maxBytes: Int, _ work: (ByteBuffer) async throws -> T
    ) async throws -> T {
        let body = try await bytes(request, maxBytes: maxBytes)
        return try await LargeBodyExecutor.run(onBodyOf: body.readableBytes) { try await work(body) }
    }

    /// The body's bytes after the 415 and 413 checks, not yet parsed.
    static func bytes(_ request: Request, maxBytes: Int) async throws -> ByteBuffer {
        try requireJSONContentType(request)
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maxBytes {
            throw tooLarge(maxBytes)
        }
        do {
            return try await request.body.collect(upTo: maxBytes)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw tooLarge(maxBytes)
        } catch is NIOTooManyBytesError {
            // A body without Content-Length (chunked) grew past the limit while read.
            throw tooLarge(maxBytes)
        }
    }

    static func parse(_ buffer: ByteBuffer) throws -> BSONDocument {
        do {
            return try buffer.withUnsafeReadableBytes { bytes in
                try JSONReader.parseDocument(bytes)
            }
        } catch let error as JSONError {
            throw GatewayError.badRequest("request body is not valid JSON: \(error.message)")
        }
    }

    static func requireJSONContentType(_ request: Request) throws {
        guard let value = request.headers[.contentType], isJSON(contentType: value) else {
            throw GatewayError(.unsupportedMediaType, "Content-Type must be application/json")
        }
    }

    /// Whether a Content-Type names `application/json`: its media type (the part before any
    /// parameters) in any case, with spaces and tabs around it.
    static func isJSON(contentType: String) -> Bool {
        let isSpace = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        let lowercased = { (byte: UInt8) in (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte }
        let mediaType = contentType.utf8.prefix { $0 != UInt8(ascii: ";") }
        let trimmed = mediaType.drop(while: isSpace).reversed().drop(while: isSpace).reversed()
        return trimmed.elementsEqual("application/json".utf8) { lowercased($0) == $1 }
    }

    private static func tooLarge(_ maxBytes: Int) -> GatewayError {
        GatewayError(
            .payloadTooLarge, "request body exceeds the limit of \(maxBytes) bytes",
            details: BSONDocument(["max_body_bytes": .int64(Int64(maxBytes))]))
    }
}
