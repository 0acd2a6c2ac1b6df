#ifndef PM_CMONGOC_SHIM_H
#define PM_CMONGOC_SHIM_H
#include <mongoc/mongoc.h>
#include <bson/bson.h>

/* bson_t and bson_iter_t are 128-byte aligned, so Swift imports them as
 * OpaquePointer and cannot read their fields or know their size.
 * These helpers cover exactly what PMMongo needs. */

/** Length in bytes of the document held by `b` (bson_t.len). */
static inline uint32_t pm_bson_length(const bson_t *b) { return b->len; }

/** sizeof / alignment of bson_t, for out-parameter storage allocated in Swift. */
static inline size_t pm_bson_sizeof(void) { return sizeof(bson_t); }
static inline size_t pm_bson_alignof(void) { return _Alignof(bson_t); }

/** sizeof / alignment of bson_iter_t, for iterator storage allocated in Swift. */
static inline size_t pm_bson_iter_sizeof(void) { return sizeof(bson_iter_t); }
static inline size_t pm_bson_iter_alignof(void) { return _Alignof(bson_iter_t); }

#endif
