/* Modes `insert-one` and `find-one`: one document per call, what a hand-written application
 * sends for the gateway's POST /{c} and GET /{c}/{id}.
 *
 * insert-one: FILE as for `insert` with BATCH 1; the document with what the gateway adds
 *   (insert.c), one mongoc_collection_insert_one with the gateway's write concern.
 * find-one: FILE one {"id": "<24 hex digits>"} a line (bodies.c); one find with the scoped
 *   filter ({_id}, the policy's condition, the tenant) and limit 1. Counts the documents found. */
#include "ceiling.h"

#include <time.h>

long ceiling_insert_one(const ceiling_run_t *run, mongoc_client_t *client, mongoc_collection_t *collection,
                        size_t index, bson_error_t *error) {
    (void)client;
    (void)index;
    bson_t document = BSON_INITIALIZER, opts = BSON_INITIALIZER;
    ceiling_stored_document(run->templates[0], (int64_t)time(NULL) * 1000, &document);
    ceiling_append_write_concern(&opts);
    bool ok = mongoc_collection_insert_one(collection, &document, &opts, NULL, error);
    bson_destroy(&opts);
    bson_destroy(&document);
    return ok ? 1 : -1;
}

long ceiling_find_one(const ceiling_run_t *run, mongoc_client_t *client, mongoc_collection_t *collection,
                      size_t index, bson_error_t *error) {
    (void)client;
    bson_t opts = BSON_INITIALIZER;
    BSON_APPEND_INT64(&opts, "limit", 1);
    mongoc_cursor_t *cursor = mongoc_collection_find_with_opts(collection, run->filters[index], &opts, NULL);
    const bson_t *document;
    long found = 0;
    while (mongoc_cursor_next(cursor, &document)) found++;
    bool failed = mongoc_cursor_error(cursor, error);
    mongoc_cursor_destroy(cursor);
    bson_destroy(&opts);
    return failed ? -1 : found;
}
