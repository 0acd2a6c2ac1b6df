import CCurl
import Foundation

/// The one owner of a libcurl multi handle and its easy handles, driven by its own
/// thread (never an event loop or the cooperative pool). Other threads only queue
/// requests and wake the loop (`curl_multi_wakeup`), under `lock`.
final class CurlMultiLoop: @unchecked Sendable {
    typealias Completion = @Sendable (Result<CurlResponse, CurlError>) -> Void

    private struct Pending {
        var request: CurlRequest
        var submitted: ContinuousClock.Instant
        var completion: Completion
    }

    private struct Active {
        var handle: CurlEasyHandle
        var started: ContinuousClock.Instant
        var completion: Completion
    }

    private let multi: UnsafeMutableRawPointer
    private let maxConcurrent: Int
    private let maxBodyBytes: Int

    // Shared with submitting threads, under `lock`.
    private let lock = NSLock()
    private var queue: [Pending] = []
    private var queueHead = 0
    private var stopRequested = false
    private var closed = false
    private var stopWaiters: [CheckedContinuation<Void, Never>] = []

    // The loop thread's own.
    private var active: [UnsafeMutableRawPointer: Active] = [:]
    private var idle: [CurlEasyHandle] = []

    init?(maxConcurrent: Int, maxBodyBytes: Int) {
        guard CurlGlobal.ensureInitialized(), let multi = curl_multi_init() else { return nil }
        self.multi = multi
        self.maxConcurrent = max(1, maxConcurrent)
        self.maxBodyBytes = maxBodyBytes
        // Keep enough idle connections for every transfer that can be in flight.
        _ = pm_curl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, max(self.maxConcurrent, 8))
    }

    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "pm-curl"
        thread.start()
    }

    /// Queues `request`; `completion` runs on the loop thread (or at once when closed).
    func submit(_ request: CurlRequest, completion: @escaping Completion) {
        lock.lock()
        if stopRequested || closed {
            lock.unlock()
            completion(.failure(Self.shutDown))
            return
        }
        queue.append(Pending(request: request, submitted: .now, completion: completion))
        _ = curl_multi_wakeup(multi)
        lock.unlock()
    }

    /// Fails what is queued or running, frees every handle and returns once the thread ended.
    func stop() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            lock.lock()
            if closed {
                lock.unlock()
                continuation.resume()
                return
            }
            stopRequested = true
            stopWaiters.append(continuation)
            _ = curl_multi_wakeup(multi)
            lock.unlock()
        }
    }

    var queuedCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return queue.count - queueHead
    }

    // MARK: - The loop thread

    private func run() {
        while true {
            let (work, stopping) = takeWork()
            if stopping { break }
            for pending in work { begin(pending) }
            var running: Int32 = 0
            _ = curl_multi_perform(multi, &running)
            if collectFinished() > 0 { continue }  // free slots: start queued work at once
            _ = curl_multi_poll(multi, nil, 0, 1000, nil)
        }
        close()
    }

    private func takeWork() -> ([Pending], Bool) {
        lock.lock()
        defer { lock.unlock() }
        if stopRequested { return ([], true) }
        let slots = maxConcurrent - active.count
        guard slots > 0, queueHead < queue.count else { return ([], false) }
        let end = min(queue.count, queueHead + slots)
        let work = Array(queue[queueHead..<end])
        queueHead = end
        if queueHead == queue.count {
            queue.removeAll(keepingCapacity: true)
            queueHead = 0
        }
        return (work, false)
    }

    private func begin(_ pending: Pending) {
        guard let handle = idle.popLast() ?? CurlEasyHandle(maxBodyBytes: maxBodyBytes) else {
            pending.completion(.failure(CurlError(kind: .other, message: "curl_easy_init failed")))
            return
        }
        if let error = handle.configure(for: pending.request) {
            recycle(handle)
            pending.completion(.failure(error))
            return
        }
        let added = curl_multi_add_handle(multi, handle.pointer)
        guard added == CURLM_OK else {
            recycle(handle)
            pending.completion(.failure(CurlError(
                kind: .other, message: String(cString: curl_multi_strerror(added)), code: Int(added.rawValue))))
            return
        }
        active[handle.pointer] = Active(handle: handle, started: pending.submitted, completion: pending.completion)
    }

    /// Completes every finished transfer; returns how many finished.
    private func collectFinished() -> Int {
        var finished = 0
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            guard pm_curl_msg_is_done(message) != 0, let easy = message.pointee.easy_handle,
                  let transfer = active.removeValue(forKey: easy) else { continue }
            let code = pm_curl_msg_result(message)
            _ = curl_multi_remove_handle(multi, easy)
            let result: Result<CurlResponse, CurlError> =
                code == CURLE_OK
                ? .success(CurlResponse(
                    status: transfer.handle.responseStatus(), body: transfer.handle.body,
                    duration: .now - transfer.started, headers: transfer.handle.responseHeaders()))
                : .failure(transfer.handle.failure(code))
            recycle(transfer.handle)
            transfer.completion(result)
            finished += 1
        }
        return finished
    }

    private func recycle(_ handle: CurlEasyHandle) {
        handle.finishTransfer()
        if idle.count < maxConcurrent { idle.append(handle) }
    }

    private func close() {
        for (easy, transfer) in active {
            _ = curl_multi_remove_handle(multi, easy)
            transfer.completion(.failure(Self.shutDown))
        }
        active.removeAll()
        idle.removeAll()  // deinit runs curl_easy_cleanup
        lock.lock()
        closed = true
        let abandoned = queue[queueHead...]
        queue.removeAll()
        queueHead = 0
        let waiters = stopWaiters
        stopWaiters.removeAll()
        lock.unlock()
        for pending in abandoned { pending.completion(.failure(Self.shutDown)) }
        curl_multi_cleanup(multi)
        for waiter in waiters { waiter.resume() }
    }

    private static let shutDown = CurlError(kind: .shutdown, message: "the HTTP client was shut down")
}
