/* Mode `insert`: the documents the gateway stores on a create, straight through
 * mongoc_collection_insert_many (unordered, default write concern, like
 * DocumentStore.insertEach), BATCH documents per call.
 *
 * FILE is {"documents":[...]} in MongoDB Extended JSON (dates as {"$date": ...}).
 * Each document gets what the gateway adds: _id, tenant_id, created_by, created_at,
 * updated_at, then the client's fields. */
#include "ceiling.h"

#include <stdlib.h>
#include <time.h>

bool ceiling_load_documents(ceiling_run_t *run, const char *file, bson_error_t *error) {
    bson_json_reader_t *reader = bson_json_reader_new_from_file(file, error);
    if (!reader) return false;
    bson_t body = BSON_INITIALIZER;
    int read = bson_json_reader_read(reader, &body, error);
    bson_json_reader_destroy(reader);
    if (read != 1) return false;
    bson_iter_t iter, array;
    if (!bson_iter_init_find(&iter, &body, "documents") || !bson_iter_recurse(&iter, &array)) {
        bson_set_error(error, 0, 0, "%s has no documents array", file);
        return false;
    }
    run->templates = calloc(run->batch, sizeof(bson_t *));
    int loaded = 0;
    while (loaded < run->batch && bson_iter_next(&array)) {
        const uint8_t *data;
        uint32_t length;
        bson_iter_document(&array, &length, &data);
        run->templates[loaded++] = bson_new_from_data(data, length);
    }
    bson_destroy(&body);
    if (loaded < run->batch) {
        bson_set_error(error, 0, 0, "%s has %d documents, need %d", file, loaded, run->batch);
        return false;
    }
    run->count = 1;
    return true;
}

void ceiling_stored_document(const bson_t *fields, int64_t now_ms, bson_t *out) {
    bson_oid_t oid;
    bson_oid_init(&oid, NULL);
    BSON_APPEND_OID(out, "_id", &oid);
    BSON_APPEND_UTF8(out, "tenant_id", CEILING_TENANT);
    BSON_APPEND_UTF8(out, "created_by", CEILING_USER);
    BSON_APPEND_DATE_TIME(out, "created_at", now_ms);
    BSON_APPEND_DATE_TIME(out, "updated_at", now_ms);
    bson_concat(out, fields);
}

long ceiling_insert(const ceiling_run_t *run, mongoc_client_t *client, mongoc_collection_t *collection,
                    size_t index, bson_error_t *error) {
    (void)client;
    (void)index;
    bson_t **docs = calloc(run->batch, sizeof(bson_t *));
    int64_t now_ms = (int64_t)time(NULL) * 1000;
    for (int i = 0; i < run->batch; i++) {
        docs[i] = bson_new();
        ceiling_stored_document(run->templates[i], now_ms, docs[i]);
    }
    bson_t reply;
    bson_t opts = BSON_INITIALIZER;
    BSON_APPEND_BOOL(&opts, "ordered", false);
    bool ok = mongoc_collection_insert_many(collection, (const bson_t **)docs, run->batch, &opts, &reply, error);
    bson_destroy(&opts);
    bson_destroy(&reply);
    for (int i = 0; i < run->batch; i++) bson_destroy(docs[i]);
    free(docs);
    return ok ? run->batch : -1;
}
