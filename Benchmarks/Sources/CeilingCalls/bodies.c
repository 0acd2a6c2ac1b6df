/* The change modes' requests: the gateway scenarios' own request bodies (FILE, one JSON
 * object a line, as Benchmarks/load/run.py writes them for PUT and DELETE /{c}/batch:
 * {"filter": {...}} or {"ids": ["<24 hex digits>", ...]}, with "update" for updates; or
 * {"id": "<24 hex digits>"}, one document as GET /{c}/{id} reads it),
 * turned into what the gateway asks of the database for them:
 *
 * - the filter scoped as ScopedFilter writes it: the client's condition (the filter,
 *   {_id: {$in: ids}} or {_id: id}), the benchmark policy's condition
 *   (`doc.created_by == user.id and doc.price >= 0 and doc.category != "banned"`, see
 *   Benchmarks/config/bench.yml), the tenant last;
 * - the update with `updated_at` (the time of the request) and `updated_by` set;
 * - the gateway's default write concern, {w: majority, j: true}. */
#include "ceiling.h"

#include <stdlib.h>
#include <string.h>

static void append_policy_and_tenant(bson_t *filter) {
    bson_t price, category;
    BSON_APPEND_UTF8(filter, "created_by", CEILING_USER);
    BSON_APPEND_DOCUMENT_BEGIN(filter, "price", &price);
    BSON_APPEND_INT64(&price, "$gte", 0);
    bson_append_document_end(filter, &price);
    BSON_APPEND_DOCUMENT_BEGIN(filter, "category", &category);
    BSON_APPEND_UTF8(&category, "$ne", "banned");
    bson_append_document_end(filter, &category);
    BSON_APPEND_UTF8(filter, "tenant_id", CEILING_TENANT);
}

/* {_id: {$in: [ObjectId...]}} from the body's hex ids. */
static bool append_ids(bson_t *filter, bson_iter_t *ids, bson_error_t *error) {
    bson_t condition, list;
    bson_iter_t id;
    BSON_APPEND_DOCUMENT_BEGIN(filter, "_id", &condition);
    BSON_APPEND_ARRAY_BEGIN(&condition, "$in", &list);
    if (!bson_iter_recurse(ids, &id)) return false;
    for (uint32_t i = 0; bson_iter_next(&id); i++) {
        const char *hex = BSON_ITER_HOLDS_UTF8(&id) ? bson_iter_utf8(&id, NULL) : "";
        if (!bson_oid_is_valid(hex, strlen(hex))) {
            bson_set_error(error, 0, 0, "ids[%u] is not a document id", i);
            return false;
        }
        bson_oid_t oid;
        bson_oid_init_from_string(&oid, hex);
        char key[16];
        const char *name;
        bson_uint32_to_string(i, &name, key, sizeof key);
        bson_append_oid(&list, name, -1, &oid);
    }
    bson_append_array_end(&condition, &list);
    bson_append_document_end(filter, &condition);
    return true;
}

static bool scoped_filter(const bson_t *body, bson_t *filter, bson_error_t *error) {
    bson_iter_t iter;
    if (bson_iter_init_find(&iter, body, "id") && BSON_ITER_HOLDS_UTF8(&iter)) {
        const char *hex = bson_iter_utf8(&iter, NULL);
        if (!bson_oid_is_valid(hex, strlen(hex))) {
            bson_set_error(error, 0, 0, "id is not a document id");
            return false;
        }
        bson_oid_t oid;
        bson_oid_init_from_string(&oid, hex);
        BSON_APPEND_OID(filter, "_id", &oid);
    } else if (bson_iter_init_find(&iter, body, "ids") && BSON_ITER_HOLDS_ARRAY(&iter)) {
        if (!append_ids(filter, &iter, error)) return false;
    } else if (bson_iter_init_find(&iter, body, "filter") && BSON_ITER_HOLDS_DOCUMENT(&iter)) {
        const uint8_t *data;
        uint32_t length;
        bson_iter_document(&iter, &length, &data);
        bson_t client;
        bson_init_static(&client, data, length);
        bson_concat(filter, &client);
    } else {
        bson_set_error(error, 0, 0, "a body without \"ids\" or \"filter\"");
        return false;
    }
    append_policy_and_tenant(filter);
    return true;
}

bool ceiling_load_bodies(ceiling_run_t *run, const char *file, bson_error_t *error) {
    bson_json_reader_t *reader = bson_json_reader_new_from_file(file, error);
    if (!reader) return false;
    size_t capacity = 0;
    bson_t body = BSON_INITIALIZER;
    int read;
    while ((read = bson_json_reader_read(reader, &body, error)) == 1) {
        if (run->count == capacity) {
            capacity = capacity ? capacity * 2 : 128;
            run->filters = realloc(run->filters, capacity * sizeof(bson_t *));
            run->updates = realloc(run->updates, capacity * sizeof(bson_t *));
        }
        bson_t *filter = bson_new();
        if (!scoped_filter(&body, filter, error)) {
            bson_destroy(filter);
            read = -1;
            break;
        }
        bson_iter_t iter;
        bson_t *update = NULL;
        if (bson_iter_init_find(&iter, &body, "update") && BSON_ITER_HOLDS_DOCUMENT(&iter)) {
            const uint8_t *data;
            uint32_t length;
            bson_iter_document(&iter, &length, &data);
            update = bson_new_from_data(data, length);
        }
        run->filters[run->count] = filter;
        run->updates[run->count] = update;
        run->count++;
        bson_reinit(&body);
    }
    bson_json_reader_destroy(reader);
    bson_destroy(&body);
    if (read < 0) return false;
    if (run->count == 0) {
        bson_set_error(error, 0, 0, "%s has no request bodies", file);
        return false;
    }
    return true;
}

/* The client's update with updated_at and updated_by added to its $set (one made if none). */
void ceiling_stamped_update(const bson_t *update, int64_t now_ms, bson_t *out) {
    bson_t set;
    bson_iter_t iter;
    bool found = false;
    bson_iter_init(&iter, update);
    while (bson_iter_next(&iter)) {
        if (strcmp(bson_iter_key(&iter), "$set") != 0) {
            bson_append_iter(out, NULL, 0, &iter);
            continue;
        }
        found = true;
        const uint8_t *data;
        uint32_t length;
        bson_iter_document(&iter, &length, &data);
        bson_t fields;
        bson_init_static(&fields, data, length);
        BSON_APPEND_DOCUMENT_BEGIN(out, "$set", &set);
        bson_concat(&set, &fields);
        BSON_APPEND_DATE_TIME(&set, "updated_at", now_ms);
        BSON_APPEND_UTF8(&set, "updated_by", CEILING_USER);
        bson_append_document_end(out, &set);
    }
    if (!found) {
        BSON_APPEND_DOCUMENT_BEGIN(out, "$set", &set);
        BSON_APPEND_DATE_TIME(&set, "updated_at", now_ms);
        BSON_APPEND_UTF8(&set, "updated_by", CEILING_USER);
        bson_append_document_end(out, &set);
    }
}

/* {w: majority, j: true}: the gateway's database.write_concern default (the caller destroys it). */
mongoc_write_concern_t *ceiling_write_concern(void) {
    mongoc_write_concern_t *concern = mongoc_write_concern_new();
    mongoc_write_concern_set_wmajority(concern, 0);
    mongoc_write_concern_set_journal(concern, true);
    return concern;
}

void ceiling_append_write_concern(bson_t *opts) {
    mongoc_write_concern_t *concern = ceiling_write_concern();
    mongoc_write_concern_append(concern, opts);
    mongoc_write_concern_destroy(concern);
}

/* A count from a write's reply (modifiedCount, deletedCount, insertedCount). */
long ceiling_reply_count(const bson_t *reply, const char *key) {
    bson_iter_t iter;
    return bson_iter_init_find(&iter, reply, key) ? (long)bson_iter_as_int64(&iter) : 0;
}
