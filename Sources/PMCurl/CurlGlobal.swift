import CCurl

/// `curl_global_init` must run once, before any other libcurl call and not
/// concurrently with one. A Swift global is initialized exactly once, thread-safely.
enum CurlGlobal {
    private static let initialized: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK

    /// Initializes libcurl (first call only); false when that failed.
    static func ensureInitialized() -> Bool { initialized }
}
