import Hummingbird
import NIOCore
import PMBSON

/// Reads a request body as a JSON object, enforcing the order of checks of docs/API.md:
/// 415 (not JSON), 413 (over `max_body_bytes`), then 400 (not a valid JSON object).
enum JSONBody {
    static func read(_ request: Request, maxBytes: Int) async throws -> BSONDocument {
        try parse(try await bytes(request, maxBytes: maxBytes))
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
        guard let value = request.headers[.contentType] else {
            throw GatewayError(.unsupportedMediaType, "Content-Type must be application/json")
        }
        let mediaType = value.split(separator: ";", maxSplits: 1).first.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        }
        guard mediaType == "application/json" else {
            throw GatewayError(.unsupportedMediaType, "Content-Type must be application/json")
        }
    }

    private static func tooLarge(_ maxBytes: Int) -> GatewayError {
        GatewayError(
            .payloadTooLarge, "request body exceeds the limit of \(maxBytes) bytes",
            details: BSONDocument(["max_body_bytes": .int64(Int64(maxBytes))]))
    }
}
