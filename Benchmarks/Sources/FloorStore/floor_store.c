#include "floor_store.h"

#include "ceiling.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct floor_store {
    mongoc_client_pool_t *pool;
    ceiling_run_t one, batch, update, versioned;
    atomic_size_t next_update, next_versioned;
};

/* The names are copied: the caller's strings need not outlive the call. */
static bool load(ceiling_run_t *run, const char *database, const char *collection, const char *file, int batch) {
    bson_error_t error;
    *run = (ceiling_run_t){.database = strdup(database), .collection = strdup(collection), .batch = batch};
    if (batch > 0 ? ceiling_load_documents(run, file, &error) : ceiling_load_bodies(run, file, &error)) return true;
    fprintf(stderr, "floor: %s: %s\n", file, error.message);
    return false;
}

static bool prepare_versions(floor_store_t *store, const char *database) {
    mongoc_client_t *client = mongoc_client_pool_pop(store->pool);
    bson_error_t error;
    bool ready = ceiling_prepare_versions(client, database, &error);
    mongoc_client_pool_push(store->pool, client);
    if (!ready) fprintf(stderr, "floor: %s\n", error.message);
    return ready;
}

floor_store_t *floor_store_open(const char *uri_string, const char *database, const char *collection,
                                const char *one_file, const char *batch_file, int batch,
                                const char *update_collection, const char *update_file,
                                const char *versioned_collection, const char *versioned_file, int pool_size) {
    mongoc_init();
    bson_error_t error;
    mongoc_uri_t *uri = mongoc_uri_new_with_error(uri_string, &error);
    if (!uri) {
        fprintf(stderr, "floor: %s\n", error.message);
        return NULL;
    }
    floor_store_t *store = calloc(1, sizeof *store);
    store->pool = mongoc_client_pool_new(uri);
    mongoc_uri_destroy(uri);
    mongoc_client_pool_max_size(store->pool, (uint32_t)pool_size);
    if (!load(&store->one, database, collection, one_file, 1) ||
        !load(&store->batch, database, collection, batch_file, batch) ||
        !load(&store->update, database, update_collection, update_file, 0) ||
        !load(&store->versioned, database, versioned_collection, versioned_file, 0) ||
        !prepare_versions(store, database)) {
        mongoc_client_pool_destroy(store->pool);
        free(store);
        return NULL;
    }
    return store;
}

static long call(floor_store_t *store, const ceiling_run_t *run, ceiling_request_fn request, size_t index) {
    mongoc_client_t *client = mongoc_client_pool_pop(store->pool);
    mongoc_collection_t *collection = mongoc_client_get_collection(client, run->database, run->collection);
    bson_error_t error;
    long documents = request(run, client, collection, index, &error);
    if (documents < 0) fprintf(stderr, "floor: %s\n", error.message);
    mongoc_collection_destroy(collection);
    mongoc_client_pool_push(store->pool, client);
    return documents;
}

long floor_store_insert_one(floor_store_t *store) { return call(store, &store->one, ceiling_insert_one, 0); }

long floor_store_insert_batch(floor_store_t *store) { return call(store, &store->batch, ceiling_insert, 0); }

long floor_store_update(floor_store_t *store) {
    size_t index = atomic_fetch_add(&store->next_update, 1) % store->update.count;
    return call(store, &store->update, ceiling_update, index);
}

/* The ceiling's update in a transaction, as the gateway writes a pushed-down change: a
 * session, startTransaction with the update_many, commitTransaction with the write concern.
 * One attempt: a failure is the request's. */
static long update_in_transaction(const ceiling_run_t *run, mongoc_client_t *client, mongoc_collection_t *collection,
                                  size_t index, bson_error_t *error) {
    mongoc_client_session_t *session = mongoc_client_start_session(client, NULL, error);
    if (!session) return -1;
    mongoc_transaction_opt_t *transaction = mongoc_transaction_opts_new();
    mongoc_write_concern_t *concern = ceiling_write_concern();
    mongoc_transaction_opts_set_write_concern(transaction, concern);
    bson_t update = BSON_INITIALIZER, opts = BSON_INITIALIZER;
    ceiling_stamped_update(run->updates[index], (int64_t)time(NULL) * 1000, &update);
    long modified = -1;
    if (mongoc_client_session_start_transaction(session, transaction, error) &&
        mongoc_client_session_append(session, &opts, error)) {
        bson_t reply;
        if (mongoc_collection_update_many(collection, run->filters[index], &update, &opts, &reply, error))
            modified = ceiling_reply_count(&reply, "modifiedCount");
        bson_destroy(&reply);
        if (modified >= 0 && !mongoc_client_session_commit_transaction(session, NULL, error)) modified = -1;
    }
    bson_destroy(&update);
    bson_destroy(&opts);
    mongoc_write_concern_destroy(concern);
    mongoc_transaction_opts_destroy(transaction);
    mongoc_client_session_destroy(session);
    return modified;
}

long floor_store_update_in_transaction(floor_store_t *store) {
    size_t index = atomic_fetch_add(&store->next_update, 1) % store->update.count;
    return call(store, &store->update, update_in_transaction, index);
}

long floor_store_versioned_update(floor_store_t *store) {
    size_t index = atomic_fetch_add(&store->next_versioned, 1) % store->versioned.count;
    return call(store, &store->versioned, ceiling_versioned_update, index);
}
