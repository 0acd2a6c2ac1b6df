#ifndef PAIR_HTTP_H
#define PAIR_HTTP_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    int fd;
    char host[80];
    const char *token;
    char *buffer;
    size_t capacity, filled;
    char error[160];
} http_connection_t;

/* Connects to URL (http://IPv4:PORT); requests carry `Authorization: Bearer TOKEN`. */
bool http_connect(http_connection_t *connection, const char *url, const char *token);
/* Sends one request and reads its whole answer; its status, or -1 (`error` says why). */
int http_request(http_connection_t *connection, const char *method, const char *path, const char *body);
void http_close(http_connection_t *connection);

#endif
