#!/usr/bin/env python3
"""Closed-loop HTTP load client for scripts/bench.

    client.py METHOD URL PATH TOKEN BODIES CLIENTS SECONDS

CLIENTS threads, one keep-alive connection each, send the bodies of BODIES (one JSON
body per line, pre-encoded) one after another until SECONDS have passed (a PATH with
`{line}` gets the line there instead, and GET requests have no body); every request
started is finished, so the work the gateway did is the work counted. SECONDS 0: one
pass instead, every body sent once, the threads sharing them (for deletes, which use up
their documents). Counts documents from the answers (POST: `created`, PUT: `modified`,
DELETE: `deleted`, one for a single document created or read), non-2xx answers and 2xx answers with a non-empty `failed`. Prints one line of key=value figures (the ceiling's format).
Almost all of its time is spent waiting on sockets; scripts/bench reports its CPU.
With BENCH_IDEMPOTENCY_KEYS=1 every request carries an `Idempotency-Key` of its own.
"""
import http.client
import json
import os
import random
import sys
import threading
import time


def counted(answer):
    """The documents an answer reports: created, modified or deleted by a batch, else one
    (`POST /{c}` answers the new id, `GET /{c}/{id}` the document)."""
    if "created" in answer:
        return len(answer["created"])
    return answer.get("modified", answer.get("deleted", 1))


def main():
    method, url, path, token, bodies_file, clients, seconds = sys.argv[1:8]
    clients, seconds = int(clients), float(seconds)
    host, port = url.split("//", 1)[1].split(":")
    with open(bodies_file, "rb") as f:
        bodies = [line.rstrip(b"\n") for line in f if line.strip()]
    headers = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
    keyed = os.environ.get("BENCH_IDEMPOTENCY_KEYS") == "1"
    run_id = f"{os.getpid()}-{random.getrandbits(32):08x}"
    lock = threading.Lock()
    latencies, totals = [], {"documents": 0, "errors": 0, "partial": 0}
    start = time.monotonic()
    deadline = start + seconds
    unsent = iter(range(len(bodies)))  # one pass: the bodies not yet taken by a thread

    def worker(number):
        connection = http.client.HTTPConnection(host, int(port), timeout=600)
        sent = 0
        k = random.randrange(len(bodies))
        mine, documents, errors, partial = [], 0, 0, 0
        while True:
            if seconds > 0:
                if time.monotonic() >= deadline:
                    break
                k = (k + 1) % len(bodies)
            else:
                with lock:
                    k = next(unsent, None)
                if k is None:
                    break
            t0 = time.monotonic()
            sent += 1
            extra = {"Idempotency-Key": f"{run_id}-{number}-{sent}"} if keyed else {}
            if "{line}" in path:
                target, body = path.replace("{line}", bodies[k].decode()), None if method == "GET" else bodies[k]
            else:
                target, body = path, None if method == "GET" else bodies[k]
            connection.request(method, target, body=body, headers={**headers, **extra})
            response = connection.getresponse()
            payload = response.read()
            mine.append(time.monotonic() - t0)
            if response.status >= 300:
                errors += 1
                if errors <= 2:
                    print(f"client: status {response.status}: {payload[:300]!r}", file=sys.stderr)
                continue
            answer = json.loads(payload)
            documents += counted(answer)
            if answer.get("failed"):
                partial += 1
                if partial <= 2:
                    print(f"client: failures: {payload[:300]!r}", file=sys.stderr)
        with lock:
            latencies.extend(mine)
            totals["documents"] += documents
            totals["errors"] += errors
            totals["partial"] += partial

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - start
    latencies.sort()
    pick = lambda q: latencies[int(q * (len(latencies) - 1))] * 1000 if latencies else 0.0  # noqa: E731
    print(f"requests={len(latencies)} documents={totals['documents']} errors={totals['errors']} "
          f"partial={totals['partial']} seconds={elapsed:.3f} p50_ms={pick(0.50):.2f} p99_ms={pick(0.99):.2f}")


if __name__ == "__main__":
    main()
