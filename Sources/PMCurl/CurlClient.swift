/// Asynchronous HTTP requests through libcurl: one multi handle driven by its own thread,
/// at most `maxConcurrent` transfers in flight (the rest wait in order), connections kept
/// and reused between requests. Call `shutdown()` before dropping it.
///
/// A task awaiting `perform` is not interrupted by cancellation: every request ends by its
/// own timeout.
public final class CurlClient: Sendable {
    /// Bytes of a response body kept in `CurlResponse.body` by default; the rest is read and dropped.
    public static let maxResponseBodyBytes = 64 * 1024

    public let maxConcurrent: Int
    /// Bytes of a response body this client keeps.
    public let maxBodyBytes: Int
    private let loop: CurlMultiLoop

    /// - Parameters:
    ///   - maxConcurrent: transfers in flight at once (at least 1).
    ///   - maxBodyBytes: bytes of each response body kept (hooks: the 64 KiB default;
    ///     the command-line client reads whole gateway answers).
    public init(maxConcurrent: Int, maxBodyBytes: Int = CurlClient.maxResponseBodyBytes) throws(CurlError) {
        guard let loop = CurlMultiLoop(maxConcurrent: maxConcurrent, maxBodyBytes: max(0, maxBodyBytes)) else {
            throw CurlError(kind: .other, message: "libcurl could not be initialized")
        }
        self.maxConcurrent = max(1, maxConcurrent)
        self.maxBodyBytes = max(0, maxBodyBytes)
        self.loop = loop
        loop.start()
    }

    /// Sends `request` and returns the answer (any status), or why there is none.
    public func perform(_ request: CurlRequest) async throws(CurlError) -> CurlResponse {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<CurlResponse, CurlError>, Never>) in
            loop.submit(request) { continuation.resume(returning: $0) }
        }
        return try result.get()
    }

    /// Requests waiting for a free slot.
    public var queuedCount: Int { loop.queuedCount }

    /// Fails queued and running requests (`CurlError.Kind.shutdown`), frees every libcurl
    /// handle and ends the thread. Idempotent; later requests fail at once.
    public func shutdown() async {
        await loop.stop()
    }
}
