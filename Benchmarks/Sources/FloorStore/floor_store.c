#include "floor_store.h"

#include "ceiling.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

long floor_store_versioned_update(floor_store_t *store) {
    size_t index = atomic_fetch_add(&store->next_versioned, 1) % store->versioned.count;
    return call(store, &store->versioned, ceiling_versioned_update, index);
}
