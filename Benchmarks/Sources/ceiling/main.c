/* The ceiling for scripts/bench: what the gateway asks of the database for a scenario,
 * sent straight through libmongoc by CLIENTS threads, to compare the gateway with.
 *
 *   ceiling URI DATABASE COLLECTION FILE BATCH CLIENTS SECONDS [MODE]
 *
 * MODE (default insert):
 *   insert            the created documents, BATCH per insert_many (insert.c; FILE: {"documents":[...]})
 *   update, delete    update_many / delete_many by the scoped filter (change.c)
 *   versioned-update, versioned-delete
 *                     in one transaction: find, insert the previous states, update_many /
 *                     delete_many (versioned_change.c)
 *   insert-one        one created document per call, as POST /{c} (single.c; FILE as for insert, BATCH 1)
 *   find-one          one find by _id per call, as GET /{c}/{id} (single.c; FILE: {"id": ...} a line)
 * The change modes read FILE as the gateway scenario's request bodies, one a line
 * (bodies.c), and send them in turn, each thread from its own starting point.
 * SECONDS 0: one pass instead of a timed run — every body sent once, the threads sharing them
 * (for deletes, which use up their documents).
 *
 * Prints one line of key=value figures (requests, documents inserted/modified/deleted,
 * errors, seconds, p50_ms, p99_ms per call). */
#include "ceiling.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
    mongoc_client_pool_t *pool;
    ceiling_run_t *run;
    size_t first;      /* timed runs: the first body this thread sends */
    double deadline;   /* timed runs; 0: one pass */
    double *latencies; /* seconds per call */
    size_t count, capacity;
    long documents, errors;
} worker_t;

static const struct {
    const char *name;
    ceiling_request_fn request;
} modes[] = {
    {"insert", ceiling_insert},
    {"update", ceiling_update},
    {"delete", ceiling_delete},
    {"versioned-update", ceiling_versioned_update},
    {"versioned-delete", ceiling_versioned_delete},
    {"insert-one", ceiling_insert_one},
    {"find-one", ceiling_find_one},
};

/* The body of the next call, or false when the run is over. */
static bool next_body(worker_t *w, size_t *index) {
    if (w->deadline == 0) {
        *index = __atomic_fetch_add(&w->run->next, 1, __ATOMIC_RELAXED);
        return *index < w->run->count;
    }
    if (ceiling_now_seconds() >= w->deadline) return false;
    *index = w->first;
    w->first = (w->first + 1) % w->run->count;
    return true;
}

static void *work(void *arg) {
    worker_t *w = arg;
    mongoc_client_t *client = mongoc_client_pool_pop(w->pool);
    mongoc_collection_t *coll = mongoc_client_get_collection(client, w->run->database, w->run->collection);
    size_t index;
    while (next_body(w, &index)) {
        double start = ceiling_now_seconds();
        bson_error_t error;
        long written = w->run->request(w->run, client, coll, index, &error);
        if (written < 0) {
            w->errors++;
            if (w->errors < 3) fprintf(stderr, "ceiling: a call failed: %s\n", error.message);
            continue;
        }
        w->documents += written;
        if (w->count == w->capacity) {
            w->capacity = w->capacity ? w->capacity * 2 : 1024;
            w->latencies = realloc(w->latencies, w->capacity * sizeof(double));
        }
        w->latencies[w->count++] = ceiling_now_seconds() - start;
    }
    mongoc_collection_destroy(coll);
    mongoc_client_pool_push(w->pool, client);
    return NULL;
}

static ceiling_request_fn mode_named(const char *name) {
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++)
        if (strcmp(modes[i].name, name) == 0) return modes[i].request;
    return NULL;
}

/* The run's request bodies from FILE, as its mode reads them. */
static bool load(ceiling_run_t *run, const char *file, bson_error_t *error) {
    if (run->request == ceiling_insert || run->request == ceiling_insert_one)
        return ceiling_load_documents(run, file, error);
    if (!ceiling_load_bodies(run, file, error)) return false;
    bool updates = run->request == ceiling_update || run->request == ceiling_versioned_update;
    for (size_t i = 0; updates && i < run->count; i++) {
        if (!run->updates[i]) {
            bson_set_error(error, 0, 0, "%s: body %zu has no \"update\"", file, i + 1);
            return false;
        }
    }
    return true;
}

int main(int argc, char **argv) {
    if (argc != 8 && argc != 9) {
        fprintf(stderr, "usage: ceiling URI DATABASE COLLECTION FILE BATCH CLIENTS SECONDS "
                        "[insert|update|delete|versioned-update|versioned-delete|insert-one|find-one]\n");
        return 2;
    }
    const char *uri_string = argv[1], *file = argv[4], *mode = argc == 9 ? argv[8] : "insert";
    int clients = atoi(argv[6]);
    double seconds = atof(argv[7]);
    ceiling_run_t run = {.database = argv[2], .collection = argv[3], .batch = atoi(argv[5]), .request = mode_named(mode)};
    if (!run.request) { fprintf(stderr, "ceiling: unknown mode %s\n", mode); return 2; }

    bson_error_t error;
    if (!load(&run, file, &error)) { fprintf(stderr, "ceiling: %s\n", error.message); return 1; }

    mongoc_init();
    mongoc_uri_t *uri = mongoc_uri_new_with_error(uri_string, &error);
    if (!uri) { fprintf(stderr, "ceiling: %s\n", error.message); return 1; }
    mongoc_client_pool_t *pool = mongoc_client_pool_new(uri);
    mongoc_client_pool_max_size(pool, clients);
    if (run.request == ceiling_versioned_update || run.request == ceiling_versioned_delete) {
        mongoc_client_t *client = mongoc_client_pool_pop(pool);
        bool ready = ceiling_prepare_versions(client, run.database, &error);
        mongoc_client_pool_push(pool, client);
        if (!ready) { fprintf(stderr, "ceiling: %s\n", error.message); return 1; }
    }

    worker_t *workers = calloc(clients, sizeof(worker_t));
    pthread_t *threads = calloc(clients, sizeof(pthread_t));
    double start = ceiling_now_seconds();
    for (int i = 0; i < clients; i++) {
        workers[i] = (worker_t){pool, &run, i * run.count / clients, seconds > 0 ? start + seconds : 0, NULL, 0, 0, 0, 0};
        pthread_create(&threads[i], NULL, work, &workers[i]);
    }
    size_t total = 0;
    long documents = 0, errors = 0;
    for (int i = 0; i < clients; i++) {
        pthread_join(threads[i], NULL);
        total += workers[i].count;
        documents += workers[i].documents;
        errors += workers[i].errors;
    }
    double elapsed = ceiling_now_seconds() - start;
    double *all = malloc((total ? total : 1) * sizeof(double));
    size_t k = 0;
    for (int i = 0; i < clients; i++)
        for (size_t j = 0; j < workers[i].count; j++) all[k++] = workers[i].latencies[j];
    qsort(all, total, sizeof(double), ceiling_compare_doubles);
    double p50 = total ? all[(size_t)(0.50 * (total - 1))] : 0, p99 = total ? all[(size_t)(0.99 * (total - 1))] : 0;
    printf("requests=%zu documents=%ld errors=%ld seconds=%.3f p50_ms=%.2f p99_ms=%.2f\n",
           total, documents, errors, elapsed, p50 * 1000, p99 * 1000);

    mongoc_client_pool_destroy(pool);
    mongoc_uri_destroy(uri);
    mongoc_cleanup();
    return errors && !documents;
}
