#ifndef PM_CCURL_SHIM_H
#define PM_CCURL_SHIM_H
#include <curl/curl.h>

/* curl_easy_setopt, curl_easy_getinfo and curl_multi_setopt are variadic macros/functions,
 * which Swift cannot call. These typed wrappers cover exactly what PMCurl needs. */

/** Callback receiving response body bytes (CURLOPT_WRITEFUNCTION). */
typedef size_t (*pm_curl_write_callback)(char *data, size_t size, size_t count, void *userdata);

static inline CURLcode pm_curl_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode pm_curl_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode pm_curl_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode pm_curl_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode pm_curl_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode pm_curl_easy_setopt_write_callback(CURL *handle, pm_curl_write_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, callback);
}

static inline CURLcode pm_curl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLMcode pm_curl_multi_setopt_long(CURLM *multi, CURLMoption option, long value) {
    return curl_multi_setopt(multi, option, value);
}

/** The result of a finished transfer (CURLMsg.data is a union). */
static inline CURLcode pm_curl_msg_result(const CURLMsg *message) {
    return message->data.result;
}

/** Whether `message` reports a finished transfer. */
static inline int pm_curl_msg_is_done(const CURLMsg *message) {
    return message->msg == CURLMSG_DONE;
}

/** Size of the buffer CURLOPT_ERRORBUFFER writes into. */
static inline size_t pm_curl_error_size(void) { return CURL_ERROR_SIZE; }

#endif
