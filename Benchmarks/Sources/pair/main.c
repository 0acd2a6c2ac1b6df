/* A gateway's single-document request and its ceiling, timed in turns in one thread:
 * one call straight through libmongoc (the ceiling's insert-one or find-one, single.c), one
 * request to the gateway, the order alternating from pair to pair. SecantusDB's single
 * journaled inserts slow down as they accumulate (BENCHMARKS.md), so a ceiling measured
 * before or after the gateway's cell is not the one the gateway met; here each request has
 * a ceiling call beside it, against the same state of the backend.
 *
 *   pair URI DATABASE COLLECTION MODE CEILING_FILE URL METHOD PATH TOKEN GATEWAY_FILE SECONDS
 *
 * MODE and CEILING_FILE as for `ceiling` (insert-one: {"documents":[...]}, one document;
 * find-one: {"id": ...} a line). The gateway's requests: METHOD URL+PATH, one line of
 * GATEWAY_FILE per request in turn, as the body (POST, PUT) or in place of {line} in PATH.
 *
 * Prints one line as the ceiling does, the gateway's figures first (requests, documents,
 * errors, seconds spent in its requests, p50_ms, p99_ms), then ceiling_requests,
 * ceiling_p50_ms, ceiling_p99_ms and difference_p50_ms: the median over the pairs of the
 * gateway's time minus the ceiling's. */
#include "ceiling.h"
#include "http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double quantile(double *values, size_t count, double q) {
    if (count == 0) return 0;
    qsort(values, count, sizeof(double), ceiling_compare_doubles);
    return values[(size_t)(q * (count - 1))];
}

/* The lines of FILE, without their newlines. */
static char **read_lines(const char *file, size_t *count) {
    FILE *f = fopen(file, "r");
    if (!f) return NULL;
    char **lines = NULL, *line = NULL;
    size_t capacity = 0, size = 0;
    *count = 0;
    ssize_t length;
    while ((length = getline(&line, &size, f)) > 0) {
        while (length > 0 && (line[length - 1] == '\n' || line[length - 1] == '\r')) line[--length] = 0;
        if (length == 0) continue;
        if (*count == capacity) {
            capacity = capacity ? capacity * 2 : 128;
            lines = realloc(lines, capacity * sizeof(char *));
        }
        lines[(*count)++] = strdup(line);
    }
    free(line);
    fclose(f);
    return lines;
}

/* PATH with its {line} replaced by `line`. */
static void expand(const char *path, const char *line, char *out, size_t size) {
    const char *mark = strstr(path, "{line}");
    if (!mark) {
        snprintf(out, size, "%s", path);
        return;
    }
    snprintf(out, size, "%.*s%s%s", (int)(mark - path), path, line, mark + 6);
}

int main(int argc, char **argv) {
    if (argc != 12) {
        fprintf(stderr, "usage: pair URI DATABASE COLLECTION insert-one|find-one CEILING_FILE "
                        "URL METHOD PATH TOKEN GATEWAY_FILE SECONDS\n");
        return 2;
    }
    const char *uri_string = argv[1], *mode = argv[4], *ceiling_file = argv[5];
    const char *url = argv[6], *method = argv[7], *path = argv[8], *token = argv[9], *gateway_file = argv[10];
    double seconds = atof(argv[11]);
    bool insert = strcmp(mode, "insert-one") == 0;
    if (!insert && strcmp(mode, "find-one") != 0) {
        fprintf(stderr, "pair: unknown mode %s\n", mode);
        return 2;
    }
    ceiling_run_t run = {.database = argv[2], .collection = argv[3], .batch = 1,
                         .request = insert ? ceiling_insert_one : ceiling_find_one};
    bson_error_t error;
    if (!(insert ? ceiling_load_documents(&run, ceiling_file, &error) : ceiling_load_bodies(&run, ceiling_file, &error))) {
        fprintf(stderr, "pair: %s\n", error.message);
        return 1;
    }
    size_t line_count = 0;
    char **lines = read_lines(gateway_file, &line_count);
    if (!lines || line_count == 0) {
        fprintf(stderr, "pair: no lines in %s\n", gateway_file);
        return 1;
    }
    bool body = strcmp(method, "POST") == 0 || strcmp(method, "PUT") == 0;

    mongoc_init();
    mongoc_uri_t *uri = mongoc_uri_new_with_error(uri_string, &error);
    if (!uri) { fprintf(stderr, "pair: %s\n", error.message); return 1; }
    mongoc_client_t *client = mongoc_client_new_from_uri(uri);
    mongoc_collection_t *collection = mongoc_client_get_collection(client, run.database, run.collection);
    http_connection_t http;
    if (!http_connect(&http, url, token)) { fprintf(stderr, "pair: %s\n", http.error); return 1; }

    size_t capacity = 1024, pairs = 0;
    double *gateway = malloc(capacity * sizeof(double)), *ceiling = malloc(capacity * sizeof(double));
    long errors = 0;
    double spent = 0, deadline = ceiling_now_seconds() + seconds;
    char target[4096];
    for (size_t i = 0; ceiling_now_seconds() < deadline; i++) {
        const char *line = lines[i % line_count];
        expand(path, body ? "" : line, target, sizeof target);
        double times[2] = {0, 0};
        bool ok = true;
        for (int turn = 0; turn < 2; turn++) {
            /* Even pairs: the ceiling first; odd pairs: the gateway first. */
            bool gateway_turn = (turn == 1) == (i % 2 == 0);
            double start = ceiling_now_seconds();
            if (gateway_turn) {
                int status = http_request(&http, method, target, body ? line : NULL);
                times[0] = ceiling_now_seconds() - start;
                if (status < 200 || status > 299) {
                    ok = false;
                    if (errors++ < 3) fprintf(stderr, "pair: the gateway answered %d %s\n", status, http.error);
                    if (status < 0) return 1;
                }
            } else {
                long done = run.request(&run, client, collection, i % run.count, &error);
                times[1] = ceiling_now_seconds() - start;
                if (done < 1) {
                    ok = false;
                    if (errors++ < 3) fprintf(stderr, "pair: the ceiling's call failed: %s\n", error.message);
                }
            }
        }
        if (!ok) continue;
        if (pairs == capacity) {
            capacity *= 2;
            gateway = realloc(gateway, capacity * sizeof(double));
            ceiling = realloc(ceiling, capacity * sizeof(double));
        }
        gateway[pairs] = times[0];
        ceiling[pairs] = times[1];
        spent += times[0];
        pairs++;
    }
    double *difference = malloc((pairs ? pairs : 1) * sizeof(double));
    for (size_t i = 0; i < pairs; i++) difference[i] = gateway[i] - ceiling[i];
    double difference_p50 = quantile(difference, pairs, 0.5);
    double gateway_p50 = quantile(gateway, pairs, 0.5), gateway_p99 = quantile(gateway, pairs, 0.99);
    double ceiling_p50 = quantile(ceiling, pairs, 0.5), ceiling_p99 = quantile(ceiling, pairs, 0.99);
    printf("requests=%zu documents=%ld errors=%ld seconds=%.3f p50_ms=%.3f p99_ms=%.3f "
           "ceiling_requests=%zu ceiling_p50_ms=%.3f ceiling_p99_ms=%.3f difference_p50_ms=%.3f\n",
           pairs, (long)pairs, errors, spent, gateway_p50 * 1000, gateway_p99 * 1000, pairs, ceiling_p50 * 1000,
           ceiling_p99 * 1000, difference_p50 * 1000);

    http_close(&http);
    mongoc_collection_destroy(collection);
    mongoc_client_destroy(client);
    mongoc_uri_destroy(uri);
    mongoc_cleanup();
    return pairs == 0;
}
