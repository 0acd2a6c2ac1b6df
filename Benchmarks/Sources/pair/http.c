/* A minimal HTTP/1.1 client for the pair program: one kept-alive connection, requests sent
 * whole, answers read by their Content-Length (the gateway always sends one). Enough for
 * timing one request after another; not a general client. */
#define _GNU_SOURCE /* memmem */
#include "http.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

bool http_connect(http_connection_t *c, const char *url, const char *token) {
    memset(c, 0, sizeof *c);
    c->fd = -1;
    int port = 80;
    char host[64] = {0};
    if (sscanf(url, "http://%63[^:/]:%d", host, &port) < 1) {
        snprintf(c->error, sizeof c->error, "not an http://HOST:PORT address: %s", url);
        return false;
    }
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (inet_pton(AF_INET, host, &address.sin_addr) != 1) {
        snprintf(c->error, sizeof c->error, "not an IPv4 address: %s", host);
        return false;
    }
    c->fd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (c->fd < 0 || connect(c->fd, (struct sockaddr *)&address, sizeof address) != 0) {
        snprintf(c->error, sizeof c->error, "cannot connect to %s", url);
        return false;
    }
    snprintf(c->host, sizeof c->host, "%s:%d", host, port);
    c->token = token;
    c->capacity = 1 << 16;
    c->buffer = malloc(c->capacity);
    return true;
}

static bool send_all(int fd, const char *data, size_t length) {
    while (length > 0) {
        ssize_t sent = send(fd, data, length, MSG_NOSIGNAL);
        if (sent <= 0) return false;
        data += sent;
        length -= (size_t)sent;
    }
    return true;
}

/* Reads until `c->buffer` holds at least `want` bytes. */
static bool fill(http_connection_t *c, size_t want) {
    while (c->filled < want) {
        if (c->filled == c->capacity) {
            c->capacity *= 2;
            c->buffer = realloc(c->buffer, c->capacity);
        }
        ssize_t got = recv(c->fd, c->buffer + c->filled, c->capacity - c->filled, 0);
        if (got <= 0) return false;
        c->filled += (size_t)got;
    }
    return true;
}

int http_request(http_connection_t *c, const char *method, const char *path, const char *body) {
    size_t body_length = body ? strlen(body) : 0;
    char head[2048];
    int head_length = snprintf(head, sizeof head,
                               "%s %s HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n"
                               "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n",
                               method, path, c->host, c->token, body_length);
    if (head_length <= 0 || (size_t)head_length >= sizeof head) {
        snprintf(c->error, sizeof c->error, "request head too long");
        return -1;
    }
    if (!send_all(c->fd, head, (size_t)head_length) || (body_length && !send_all(c->fd, body, body_length))) {
        snprintf(c->error, sizeof c->error, "send failed");
        return -1;
    }
    /* The head of the answer. */
    char *end = NULL;
    while (!(end = c->filled ? memmem(c->buffer, c->filled, "\r\n\r\n", 4) : NULL)) {
        if (!fill(c, c->filled + 1)) {
            snprintf(c->error, sizeof c->error, "connection closed before the answer's head");
            return -1;
        }
    }
    size_t head_end = (size_t)(end - c->buffer) + 4;
    int status = 0;
    sscanf(c->buffer, "HTTP/1.1 %d", &status);
    size_t content_length = 0;
    bool has_length = false;
    for (char *line = memchr(c->buffer, '\n', head_end); line && line < c->buffer + head_end;
         line = memchr(line + 1, '\n', (size_t)(c->buffer + head_end - line - 1))) {
        if (strncasecmp(line + 1, "content-length:", 15) == 0) {
            content_length = strtoul(line + 16, NULL, 10);
            has_length = true;
        }
    }
    if (!has_length) {
        snprintf(c->error, sizeof c->error, "an answer without Content-Length (status %d)", status);
        return -1;
    }
    if (!fill(c, head_end + content_length)) {
        snprintf(c->error, sizeof c->error, "connection closed in the answer's body");
        return -1;
    }
    /* Whatever follows belongs to no request (none is pipelined): dropped. */
    c->filled = 0;
    return status;
}

void http_close(http_connection_t *c) {
    if (c->fd >= 0) close(c->fd);
    free(c->buffer);
    c->fd = -1;
    c->buffer = NULL;
}
