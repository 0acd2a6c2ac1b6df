import CCurl

/// One libcurl easy handle with what must outlive a transfer: the header list, the error
/// buffer and the received body. Reused for many transfers (`curl_easy_reset` keeps the
/// handle's caches; the multi handle keeps the connections). Only the loop thread uses it.
final class CurlEasyHandle {
    let pointer: UnsafeMutableRawPointer
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private(set) var body: [UInt8] = []
    private let maxBodyBytes: Int

    init?(maxBodyBytes: Int) {
        guard let pointer = curl_easy_init() else { return nil }
        self.pointer = pointer
        self.maxBodyBytes = maxBodyBytes
        errorBuffer = .allocate(capacity: pm_curl_error_size())
        errorBuffer.initialize(repeating: 0, count: pm_curl_error_size())
    }

    deinit {
        curl_easy_cleanup(pointer)
        if let headerList { curl_slist_free_all(headerList) }
        errorBuffer.deallocate()
    }

    /// Sets every option for `request`; a failure is returned, not thrown (the transfer
    /// then never starts).
    func configure(for request: CurlRequest) -> CurlError? {
        curl_easy_reset(pointer)
        releaseHeaders()
        body.removeAll(keepingCapacity: true)
        errorBuffer[0] = 0
        var code = CURLE_OK
        func set(_ result: CURLcode) { if code == CURLE_OK { code = result } }

        set(pm_curl_easy_setopt_pointer(pointer, CURLOPT_ERRORBUFFER, errorBuffer))
        set(pm_curl_easy_setopt_string(pointer, CURLOPT_URL, request.url))
        set(pm_curl_easy_setopt_string(pointer, CURLOPT_PROTOCOLS_STR, "http,https"))
        set(pm_curl_easy_setopt_long(pointer, CURLOPT_NOSIGNAL, 1))
        set(pm_curl_easy_setopt_long(pointer, CURLOPT_TIMEOUT_MS, max(1, request.timeoutMilliseconds)))
        set(pm_curl_easy_setopt_long(pointer, CURLOPT_TCP_KEEPALIVE, 1))
        set(pm_curl_easy_setopt_write_callback(pointer, curlWriteBody))
        set(pm_curl_easy_setopt_pointer(pointer, CURLOPT_WRITEDATA, Unmanaged.passUnretained(self).toOpaque()))

        if request.method == "GET" {
            set(pm_curl_easy_setopt_long(pointer, CURLOPT_HTTPGET, 1))
        } else {
            set(pm_curl_easy_setopt_long(pointer, CURLOPT_POST, 1))
            set(pm_curl_easy_setopt_off_t(pointer, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count)))
            set(request.body.withUnsafeBytes { bytes in
                // COPYPOSTFIELDS copies `POSTFIELDSIZE` bytes now; an empty body still needs a pointer.
                var empty: UInt8 = 0
                let start = bytes.baseAddress ?? withUnsafeMutablePointer(to: &empty) { UnsafeRawPointer($0) }
                return pm_curl_easy_setopt_pointer(pointer, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: start))
            })
            if request.method != "POST" {
                set(pm_curl_easy_setopt_string(pointer, CURLOPT_CUSTOMREQUEST, request.method))
            }
        }

        // "Expect:" turns off libcurl's `Expect: 100-continue` wait on larger bodies.
        for line in request.headers.map({ "\($0.name): \($0.value)" }) + ["Expect:"] {
            guard let list = curl_slist_append(headerList, line) else {
                return CurlError(kind: .other, message: "out of memory building headers")
            }
            headerList = list
        }
        set(pm_curl_easy_setopt_slist(pointer, CURLOPT_HTTPHEADER, headerList))

        guard code == CURLE_OK else { return failure(code) }
        return nil
    }

    /// The HTTP status of the finished transfer.
    func responseStatus() -> Int {
        var status = 0
        _ = pm_curl_easy_getinfo_long(pointer, CURLINFO_RESPONSE_CODE, &status)
        return status
    }

    /// The header fields of the finished transfer's last response (`curl_easy_nextheader`).
    func responseHeaders() -> [String: String] {
        var fields: [String: String] = [:]
        var previous: UnsafeMutablePointer<curl_header>?
        while let header = curl_easy_nextheader(pointer, UInt32(CURLH_HEADER), -1, previous) {
            previous = header
            guard let name = header.pointee.name, let value = header.pointee.value else { continue }
            let key = String(cString: name).lowercased()
            let text = String(cString: value)
            fields[key] = fields[key].map { $0 + ", " + text } ?? text
        }
        return fields
    }

    /// Classifies a failed transfer's `CURLcode`, with the error buffer's text.
    func failure(_ code: CURLcode) -> CurlError {
        let detail = errorBuffer[0] != 0 ? String(cString: errorBuffer) : String(cString: curl_easy_strerror(code))
        let kind: CurlError.Kind =
            switch code {
            case CURLE_OPERATION_TIMEDOUT: .timeout
            case CURLE_COULDNT_CONNECT: .connectionRefused
            default: .other
            }
        return CurlError(kind: kind, message: detail, code: Int(code.rawValue))
    }

    /// Frees what the last transfer needed; the handle stays usable.
    func finishTransfer() {
        releaseHeaders()
    }

    fileprivate func receive(_ bytes: UnsafeRawBufferPointer) {
        let room = maxBodyBytes - body.count
        if room > 0 { body.append(contentsOf: bytes.prefix(room)) }
    }

    private func releaseHeaders() {
        if let headerList { curl_slist_free_all(headerList) }
        headerList = nil
    }
}

/// CURLOPT_WRITEFUNCTION: keeps the first bytes of the body, accepts all of it.
private let curlWriteBody: pm_curl_write_callback = { data, size, count, userdata in
    let length = size * count
    guard let data, let userdata else { return length }
    let handle = Unmanaged<CurlEasyHandle>.fromOpaque(userdata).takeUnretainedValue()
    handle.receive(UnsafeRawBufferPointer(start: data, count: length))
    return length
}
