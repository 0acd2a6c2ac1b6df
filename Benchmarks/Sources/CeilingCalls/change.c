/* Modes `update` and `delete`: what a hand-written application sends for the gateway's
 * PUT and DELETE /{c}/batch without versioning — one mongoc_collection_update_many or
 * delete_many with the scoped filter (bodies.c), no transaction, the gateway's write
 * concern. Counts what the database reports (modifiedCount, deletedCount). */
#include "ceiling.h"

#include <time.h>

long ceiling_update(const ceiling_run_t *run, mongoc_client_t *client, mongoc_collection_t *collection,
                    size_t index, bson_error_t *error) {
    (void)client;
    bson_t update = BSON_INITIALIZER, opts = BSON_INITIALIZER, reply;
    ceiling_stamped_update(run->updates[index], (int64_t)time(NULL) * 1000, &update);
    ceiling_append_write_concern(&opts);
    bool ok = mongoc_collection_update_many(collection, run->filters[index], &update, &opts, &reply, error);
    long modified = ok ? ceiling_reply_count(&reply, "modifiedCount") : -1;
    bson_destroy(&update);
    bson_destroy(&opts);
    bson_destroy(&reply);
    return modified;
}

long ceiling_delete(const ceiling_run_t *run, mongoc_client_t *client, mongoc_collection_t *collection,
                    size_t index, bson_error_t *error) {
    (void)client;
    bson_t opts = BSON_INITIALIZER, reply;
    ceiling_append_write_concern(&opts);
    bool ok = mongoc_collection_delete_many(collection, run->filters[index], &opts, &reply, error);
    long deleted = ok ? ceiling_reply_count(&reply, "deletedCount") : -1;
    bson_destroy(&opts);
    bson_destroy(&reply);
    return deleted;
}
