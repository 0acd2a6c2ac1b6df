/* The ceiling for scripts/bench: the same documents the gateway stores,
 * inserted straight through libmongoc's mongoc_collection_insert_many (unordered,
 * default write concern, like DocumentStore.insertEach), by CLIENTS threads for
 * SECONDS, BATCH documents per call.
 *
 *   ceiling URI DATABASE COLLECTION FILE BATCH CLIENTS SECONDS
 *
 * FILE is {"documents":[...]} in MongoDB Extended JSON (dates as {"$date": ...}).
 * Each document gets what the gateway adds: _id, tenant_id, created_by, created_at,
 * updated_at, then the client's fields. Prints one line of key=value figures. */
#include <mongoc/mongoc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
    mongoc_client_pool_t *pool;
    const char *database, *collection;
    bson_t **templates;
    int batch;
    double deadline;
    double *latencies; /* seconds per call */
    size_t count, capacity;
    long documents, errors;
} worker_t;

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *run(void *arg) {
    worker_t *w = arg;
    mongoc_client_t *client = mongoc_client_pool_pop(w->pool);
    mongoc_collection_t *coll = mongoc_client_get_collection(client, w->database, w->collection);
    bson_t **docs = calloc(w->batch, sizeof(bson_t *));
    while (now_seconds() < w->deadline) {
        double start = now_seconds();
        int64_t now_ms = (int64_t)time(NULL) * 1000;
        for (int i = 0; i < w->batch; i++) {
            bson_t *doc = bson_new();
            bson_oid_t oid;
            bson_oid_init(&oid, NULL);
            BSON_APPEND_OID(doc, "_id", &oid);
            BSON_APPEND_UTF8(doc, "tenant_id", "t");
            BSON_APPEND_UTF8(doc, "created_by", "u");
            BSON_APPEND_DATE_TIME(doc, "created_at", now_ms);
            BSON_APPEND_DATE_TIME(doc, "updated_at", now_ms);
            bson_concat(doc, w->templates[i]);
            docs[i] = doc;
        }
        bson_t reply;
        bson_error_t error;
        bson_t opts = BSON_INITIALIZER;
        BSON_APPEND_BOOL(&opts, "ordered", false);
        bool ok = mongoc_collection_insert_many(coll, (const bson_t **)docs, w->batch, &opts, &reply, &error);
        bson_destroy(&opts);
        bson_destroy(&reply);
        for (int i = 0; i < w->batch; i++) bson_destroy(docs[i]);
        if (!ok) {
            w->errors++;
            if (w->errors < 3) fprintf(stderr, "ceiling: insert_many failed: %s\n", error.message);
            continue;
        }
        w->documents += w->batch;
        if (w->count == w->capacity) {
            w->capacity = w->capacity ? w->capacity * 2 : 1024;
            w->latencies = realloc(w->latencies, w->capacity * sizeof(double));
        }
        w->latencies[w->count++] = now_seconds() - start;
    }
    free(docs);
    mongoc_collection_destroy(coll);
    mongoc_client_pool_push(w->pool, client);
    return NULL;
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    if (argc != 8) {
        fprintf(stderr, "usage: ceiling URI DATABASE COLLECTION FILE BATCH CLIENTS SECONDS\n");
        return 2;
    }
    const char *uri_string = argv[1], *database = argv[2], *collection = argv[3], *file = argv[4];
    int batch = atoi(argv[5]), clients = atoi(argv[6]);
    double seconds = atof(argv[7]);

    bson_error_t error;
    bson_json_reader_t *reader = bson_json_reader_new_from_file(file, &error);
    if (!reader) { fprintf(stderr, "ceiling: %s\n", error.message); return 1; }
    bson_t body = BSON_INITIALIZER;
    if (bson_json_reader_read(reader, &body, &error) != 1) { fprintf(stderr, "ceiling: %s\n", error.message); return 1; }
    bson_json_reader_destroy(reader);
    bson_t **templates = calloc(batch, sizeof(bson_t *));
    bson_iter_t iter, array;
    if (!bson_iter_init_find(&iter, &body, "documents") || !bson_iter_recurse(&iter, &array)) {
        fprintf(stderr, "ceiling: no documents array\n");
        return 1;
    }
    int loaded = 0;
    while (loaded < batch && bson_iter_next(&array)) {
        const uint8_t *data;
        uint32_t length;
        bson_iter_document(&array, &length, &data);
        templates[loaded++] = bson_new_from_data(data, length);
    }
    if (loaded < batch) { fprintf(stderr, "ceiling: %s has %d documents, need %d\n", file, loaded, batch); return 1; }

    mongoc_init();
    mongoc_uri_t *uri = mongoc_uri_new_with_error(uri_string, &error);
    if (!uri) { fprintf(stderr, "ceiling: %s\n", error.message); return 1; }
    mongoc_client_pool_t *pool = mongoc_client_pool_new(uri);
    mongoc_client_pool_max_size(pool, clients);

    worker_t *workers = calloc(clients, sizeof(worker_t));
    pthread_t *threads = calloc(clients, sizeof(pthread_t));
    double start = now_seconds();
    for (int i = 0; i < clients; i++) {
        workers[i] = (worker_t){pool, database, collection, templates, batch, start + seconds, NULL, 0, 0, 0, 0};
        pthread_create(&threads[i], NULL, run, &workers[i]);
    }
    size_t total = 0;
    long documents = 0, errors = 0;
    for (int i = 0; i < clients; i++) {
        pthread_join(threads[i], NULL);
        total += workers[i].count;
        documents += workers[i].documents;
        errors += workers[i].errors;
    }
    double elapsed = now_seconds() - start;
    double *all = malloc((total ? total : 1) * sizeof(double));
    size_t k = 0;
    for (int i = 0; i < clients; i++)
        for (size_t j = 0; j < workers[i].count; j++) all[k++] = workers[i].latencies[j];
    qsort(all, total, sizeof(double), compare);
    double p50 = total ? all[(size_t)(0.50 * (total - 1))] : 0, p99 = total ? all[(size_t)(0.99 * (total - 1))] : 0;
    printf("requests=%zu documents=%ld errors=%ld seconds=%.3f p50_ms=%.2f p99_ms=%.2f\n",
           total, documents, errors, elapsed, p50 * 1000, p99 * 1000);

    mongoc_client_pool_destroy(pool);
    mongoc_uri_destroy(uri);
    mongoc_cleanup();
    return errors && !documents;
}
