/* The database side of the floor program: the ceiling's calls (CeilingCalls) behind a
 * libmongoc client pool, one call per request, as the gateway's thread pool makes them. */
#ifndef FLOOR_STORE_H
#define FLOOR_STORE_H

typedef struct floor_store floor_store_t;

/* NULL with the reason on stderr. ONE_FILE and BATCH_FILE as for the ceiling's insert-one
 * and insert modes ({"documents":[...]}, one document and BATCH documents), into
 * COLLECTION. UPDATE_FILE and VERSIONED_FILE as for its update and versioned-update modes
 * (PUT /{c}/batch bodies, one a line), on UPDATE_COLLECTION and VERSIONED_COLLECTION. */
floor_store_t *floor_store_open(const char *uri, const char *database, const char *collection,
                                const char *one_file, const char *batch_file, int batch,
                                const char *update_collection, const char *update_file,
                                const char *versioned_collection, const char *versioned_file, int pool_size);
/* The documents inserted or modified, or -1 (the error on stderr). Blocking: call from a
 * thread pool. The updates take their bodies in turn, whatever the request held. */
long floor_store_insert_one(floor_store_t *store);
long floor_store_insert_batch(floor_store_t *store);
long floor_store_update(floor_store_t *store);
/* floor_store_update's update in a transaction (startTransaction, commitTransaction), as the
 * gateway writes a pushed-down change. */
long floor_store_update_in_transaction(floor_store_t *store);
long floor_store_versioned_update(floor_store_t *store);

#endif
