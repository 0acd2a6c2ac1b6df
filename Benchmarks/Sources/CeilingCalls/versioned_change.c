/* Modes `versioned-update` and `versioned-delete`: what a hand-written application must
 * do to keep the previous state of what it changes, in one transaction (the gateway's
 * write concern on the commit):
 *
 *   find the documents (the scoped filter, bodies.c),
 *   insert_many their previous states into `ceiling_versions` (the fields of a
 *   `_pm_versions` document, mode full: collection, doc_id, tenant_id, op, mode, data,
 *   updated_by, updated_at), then
 *   update_many (or delete_many) of exactly those documents: {_id: {$in: found}, tenant_id}
 *   (the documents whose states were saved; the gateway writes by _id and tenant too).
 *
 * Unlike `_pm_versions`, these versions carry no version number, so nothing reads the
 * newest number first; `ceiling_versions` has one index, {collection, tenant_id, doc_id}
 * (a document's history), where `_pm_versions` has the unique one with `version` added. */
#include "ceiling.h"

#include <stdlib.h>
#include <time.h>

static const char *const versions_collection = "ceiling_versions";

bool ceiling_prepare_versions(mongoc_client_t *client, const char *database, bson_error_t *error) {
    bson_t *command = BCON_NEW(
        "createIndexes", BCON_UTF8(versions_collection),
        "indexes", "[", "{",
            "key", "{", "collection", BCON_INT32(1), "tenant_id", BCON_INT32(1), "doc_id", BCON_INT32(1), "}",
            "name", BCON_UTF8("ceiling_document_history"),
        "}", "]");
    mongoc_database_t *db = mongoc_client_get_database(client, database);
    bool ok = mongoc_database_write_command_with_opts(db, command, NULL, NULL, error);
    mongoc_database_destroy(db);
    bson_destroy(command);
    return ok;
}

typedef struct {
    const ceiling_run_t *run;
    mongoc_collection_t *collection;
    size_t index;
    bool delete;
    long written;
} change_t;

static bson_t *version_of(const change_t *change, const bson_t *before, int64_t now_ms) {
    bson_t *version = bson_new();
    bson_oid_t oid;
    bson_iter_t id;
    bson_oid_init(&oid, NULL);
    BSON_APPEND_OID(version, "_id", &oid);
    BSON_APPEND_UTF8(version, "collection", change->run->collection);
    if (bson_iter_init_find(&id, before, "_id")) bson_append_iter(version, "doc_id", -1, &id);
    BSON_APPEND_UTF8(version, "tenant_id", CEILING_TENANT);
    BSON_APPEND_UTF8(version, "op", change->delete ? "delete" : "update");
    BSON_APPEND_UTF8(version, "mode", "full");
    BSON_APPEND_DOCUMENT(version, "data", before);
    BSON_APPEND_UTF8(version, "updated_by", CEILING_USER);
    BSON_APPEND_DATE_TIME(version, "updated_at", now_ms);
    return version;
}

/* Saves the previous states of what the filter selects and adds their _ids to `found`
 * ({_id: {$in: [...]}, tenant_id}); false (error set) when the read or the insert failed. */
static bool save_versions(const change_t *change, mongoc_client_session_t *session, const bson_t *opts,
                          int64_t now_ms, bson_t *found, bson_t *reply, bson_error_t *error) {
    const ceiling_run_t *run = change->run;
    mongoc_cursor_t *cursor =
        mongoc_collection_find_with_opts(change->collection, run->filters[change->index], opts, NULL);
    bson_t **versions = NULL;
    size_t count = 0, capacity = 0;
    const bson_t *document;
    bson_t condition, ids;
    BSON_APPEND_DOCUMENT_BEGIN(found, "_id", &condition);
    BSON_APPEND_ARRAY_BEGIN(&condition, "$in", &ids);
    while (mongoc_cursor_next(cursor, &document)) {
        if (count == capacity) {
            capacity = capacity ? capacity * 2 : 128;
            versions = realloc(versions, capacity * sizeof(bson_t *));
        }
        bson_iter_t id;
        char key[16];
        const char *name;
        bson_uint32_to_string((uint32_t)count, &name, key, sizeof key);
        if (bson_iter_init_find(&id, document, "_id")) bson_append_iter(&ids, name, -1, &id);
        versions[count++] = version_of(change, document, now_ms);
    }
    bson_append_array_end(&condition, &ids);
    bson_append_document_end(found, &condition);
    BSON_APPEND_UTF8(found, "tenant_id", CEILING_TENANT);
    bool ok = !mongoc_cursor_error(cursor, error);
    mongoc_cursor_destroy(cursor);
    if (ok && count) {
        mongoc_collection_t *target =
            mongoc_client_get_collection(mongoc_client_session_get_client(session), run->database, versions_collection);
        ok = mongoc_collection_insert_many(target, (const bson_t **)versions, count, opts, reply, error);
        mongoc_collection_destroy(target);
    }
    for (size_t i = 0; i < count; i++) bson_destroy(versions[i]);
    free(versions);
    return ok;
}

/* The transaction's body (mongoc_client_session_with_transaction runs it again on a transient error). */
static bool change_documents(mongoc_client_session_t *session, void *context, bson_t **reply, bson_error_t *error) {
    change_t *change = context;
    const ceiling_run_t *run = change->run;
    int64_t now_ms = (int64_t)time(NULL) * 1000;
    bson_t opts = BSON_INITIALIZER, found = BSON_INITIALIZER, written;
    bson_init(&written);
    bool ok = mongoc_client_session_append(session, &opts, error)
        && save_versions(change, session, &opts, now_ms, &found, &written, error);
    if (ok && change->delete) {
        bson_reinit(&written);
        ok = mongoc_collection_delete_many(change->collection, &found, &opts, &written, error);
        change->written = ceiling_reply_count(&written, "deletedCount");
    } else if (ok) {
        bson_t update = BSON_INITIALIZER;
        ceiling_stamped_update(run->updates[change->index], now_ms, &update);
        bson_reinit(&written);
        ok = mongoc_collection_update_many(change->collection, &found, &update, &opts, &written, error);
        change->written = ceiling_reply_count(&written, "modifiedCount");
        bson_destroy(&update);
    }
    bson_destroy(&found);
    bson_destroy(&opts);
    if (!ok) *reply = bson_copy(&written); /* its error labels decide whether to retry */
    bson_destroy(&written);
    return ok;
}

static long change_in_transaction(change_t *change, mongoc_client_t *client, bson_error_t *error) {
    mongoc_client_session_t *session = mongoc_client_start_session(client, NULL, error);
    if (!session) return -1;
    mongoc_transaction_opt_t *transaction = mongoc_transaction_opts_new();
    mongoc_write_concern_t *concern = ceiling_write_concern();
    mongoc_transaction_opts_set_write_concern(transaction, concern);
    bool ok = mongoc_client_session_with_transaction(session, change_documents, transaction, change, NULL, error);
    mongoc_write_concern_destroy(concern);
    mongoc_transaction_opts_destroy(transaction);
    mongoc_client_session_destroy(session);
    return ok ? change->written : -1;
}

long ceiling_versioned_update(const ceiling_run_t *run, mongoc_client_t *client, mongoc_collection_t *collection,
                              size_t index, bson_error_t *error) {
    change_t change = {run, collection, index, false, 0};
    return change_in_transaction(&change, client, error);
}

long ceiling_versioned_delete(const ceiling_run_t *run, mongoc_client_t *client, mongoc_collection_t *collection,
                              size_t index, bson_error_t *error) {
    change_t change = {run, collection, index, true, 0};
    return change_in_transaction(&change, client, error);
}
