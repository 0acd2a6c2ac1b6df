#include "floor_store.h"

#include "ceiling.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct floor_store {
    mongoc_client_pool_t *pool;
    ceiling_run_t one, batch;
};

/* The names are copied: the caller's strings need not outlive the call. */
static bool load(ceiling_run_t *run, const char *database, const char *collection, const char *file, int batch) {
    bson_error_t error;
    *run = (ceiling_run_t){.database = strdup(database), .collection = strdup(collection), .batch = batch};
    if (ceiling_load_documents(run, file, &error)) return true;
    fprintf(stderr, "floor: %s: %s\n", file, error.message);
    return false;
}

floor_store_t *floor_store_open(const char *uri_string, const char *database, const char *collection,
                                const char *one_file, const char *batch_file, int batch, int pool_size) {
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
        !load(&store->batch, database, collection, batch_file, batch)) {
        mongoc_client_pool_destroy(store->pool);
        free(store);
        return NULL;
    }
    return store;
}

static long call(floor_store_t *store, const ceiling_run_t *run, ceiling_request_fn request) {
    mongoc_client_t *client = mongoc_client_pool_pop(store->pool);
    mongoc_collection_t *collection = mongoc_client_get_collection(client, run->database, run->collection);
    bson_error_t error;
    long documents = request(run, client, collection, 0, &error);
    if (documents < 0) fprintf(stderr, "floor: %s\n", error.message);
    mongoc_collection_destroy(collection);
    mongoc_client_pool_push(store->pool, client);
    return documents;
}

long floor_store_insert_one(floor_store_t *store) { return call(store, &store->one, ceiling_insert_one); }

long floor_store_insert_batch(floor_store_t *store) { return call(store, &store->batch, ceiling_insert); }
