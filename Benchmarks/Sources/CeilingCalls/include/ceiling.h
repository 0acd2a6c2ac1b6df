/* What the ceiling's modes share: the run (its settings and request bodies) and the one
 * call each mode makes per request (main.c runs them from CLIENTS threads). */
#ifndef CEILING_H
#define CEILING_H

#include <mongoc/mongoc.h>
#include <stdbool.h>
#include <stddef.h>

/* The caller of every gateway scenario (scripts/bench's token: --sub u --tenant t). */
#define CEILING_TENANT "t"
#define CEILING_USER "u"

typedef struct ceiling_run ceiling_run_t;

/* One request: the documents it inserted, modified or deleted, or -1 with `error` set. */
typedef long (*ceiling_request_fn)(const ceiling_run_t *run, mongoc_client_t *client,
                                   mongoc_collection_t *collection, size_t index, bson_error_t *error);

struct ceiling_run {
    const char *database, *collection;
    ceiling_request_fn request;
    int batch;            /* insert: documents per call */
    bson_t **templates;   /* insert: the client's fields of `batch` documents */
    bson_t **filters;     /* change modes: one scoped filter per request body */
    bson_t **updates;     /* update modes: one update per request body */
    size_t count;         /* request bodies (insert: 1) */
    size_t next;          /* one pass (SECONDS 0): the next body to send, shared by the threads */
};

/* timing.c: a monotonic clock in seconds; qsort's comparison of doubles. */
double ceiling_now_seconds(void);
int ceiling_compare_doubles(const void *a, const void *b);

/* insert.c */
bool ceiling_load_documents(ceiling_run_t *run, const char *file, bson_error_t *error);
/* The document the gateway stores for the client's `fields`: _id, tenant_id, created_by,
 * created_at, updated_at, then the fields. */
void ceiling_stored_document(const bson_t *fields, int64_t now_ms, bson_t *out);
long ceiling_insert(const ceiling_run_t *run, mongoc_client_t *client, mongoc_collection_t *collection,
                    size_t index, bson_error_t *error);

/* single.c */
long ceiling_insert_one(const ceiling_run_t *run, mongoc_client_t *client, mongoc_collection_t *collection,
                        size_t index, bson_error_t *error);
long ceiling_find_one(const ceiling_run_t *run, mongoc_client_t *client, mongoc_collection_t *collection,
                      size_t index, bson_error_t *error);

/* bodies.c */
bool ceiling_load_bodies(ceiling_run_t *run, const char *file, bson_error_t *error);
void ceiling_stamped_update(const bson_t *update, int64_t now_ms, bson_t *out);
mongoc_write_concern_t *ceiling_write_concern(void);
void ceiling_append_write_concern(bson_t *opts);
long ceiling_reply_count(const bson_t *reply, const char *key);

/* change.c */
long ceiling_update(const ceiling_run_t *run, mongoc_client_t *client, mongoc_collection_t *collection,
                    size_t index, bson_error_t *error);
long ceiling_delete(const ceiling_run_t *run, mongoc_client_t *client, mongoc_collection_t *collection,
                    size_t index, bson_error_t *error);

/* versioned_change.c */
bool ceiling_prepare_versions(mongoc_client_t *client, const char *database, bson_error_t *error);
long ceiling_versioned_update(const ceiling_run_t *run, mongoc_client_t *client, mongoc_collection_t *collection,
                              size_t index, bson_error_t *error);
long ceiling_versioned_delete(const ceiling_run_t *run, mongoc_client_t *client, mongoc_collection_t *collection,
                              size_t index, bson_error_t *error);

#endif
