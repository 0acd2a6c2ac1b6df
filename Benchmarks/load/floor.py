#!/usr/bin/env python3
"""The gateway beside the floor of its stack, in turns on one backend (scripts/bench-floor).

    floor.py GATEWAY_BIN FLOOR_BIN

The floor program (Benchmarks/Sources/floor) is Hummingbird on NIO's event loops with one
libmongoc call per request on a thread pool, the ceiling's own insert: what any request of
a gateway built this way pays before its own work. Both servers answer the same requests,
one client, in turns (the first of a round alternating), BENCH_ROUNDS rounds of
BENCH_SECONDS per cell:

  GET /healthz           the HTTP server alone
  POST 1x1               one document (the floor: the ceiling's insert-one)
  POST 1x1, paired       the same beside the ceiling's insert-one (the pair program)
  POST 100x1             100 documents a request (the floor: the ceiling's insert of 100)
  put 100 ids, versioning off / on
                         `$inc` + `$set` of 100 seeded documents by id (BENCH_IDS) (the floor:
                         the ceiling's update and versioned-update of the same bodies)
  put 100 ids, versioning off, the floor's in a transaction
                         the same, the floor's update_many in a transaction
                         (startTransaction, commitTransaction), as the gateway writes it

and the table gives, per cell, each server's CPU per request (its process's user + system
time over the cell, /proc) and p50; the paired cell also the median difference to the
ceiling's call. Environment: BENCH_MONGO_URI, BENCH_DATABASE, BENCH_CONFIG_DIR, BENCH_WORK,
BENCH_BACKEND_PID, BENCH_PAIR (from scripts/bench-floor), BENCH_ROUNDS (3), BENCH_SECONDS (8),
BENCH_ONLY (cells whose names contain one of its "|"-separated parts), BENCH_IDS (ids per update
request, 100).
"""
import json
import os
import statistics
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the repository
sys.path.insert(0, os.path.dirname(__file__))
import documents  # noqa: E402
from ab import Gateway, free_port, seed, write_lines  # noqa: E402
from processes import cpu_seconds, settle  # noqa: E402

ENV = os.environ
ROUNDS = int(ENV.get("BENCH_ROUNDS", "3"))
SECONDS = float(ENV.get("BENCH_SECONDS", "8"))
WORK = ENV["BENCH_WORK"]
BACKEND = int(ENV["BENCH_BACKEND_PID"])
MONGO_URI = ENV["BENCH_MONGO_URI"]
DATABASE = ENV["BENCH_DATABASE"]
PAIR = ENV["BENCH_PAIR"]
CLIENT = os.path.join(os.path.dirname(__file__), "client.py")
BATCH = 100
IDS = int(ENV.get("BENCH_IDS", "100"))  # ids per update request


class Floor:
    def __init__(self, binary, one_file, batch_file, update_file, versioned_file):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.token = "-"
        self.log = open(os.path.join(WORK, "floor.log"), "a")
        self.process = subprocess.Popen(
            [binary, str(self.port), MONGO_URI, DATABASE, "items", one_file, batch_file, str(BATCH),
             "items", update_file, "items_v", versioned_file],
            env=dict(ENV, MALLOC_ARENA_MAX="2"), stdout=self.log, stderr=subprocess.STDOUT)
        subprocess.run([sys.executable, CLIENT, "GET", self.url, "/healthz", "-", os.path.join(WORK, "healthz.txt"),
                        "1", "1"], capture_output=True, check=True)

    def stop(self):
        self.process.terminate()
        self.process.wait(30)
        self.log.close()


def figures(text):
    for line in text.splitlines():
        if line.startswith("requests="):
            return {k: float(v) for k, v in (p.split("=") for p in line.split())}
    raise RuntimeError("no result line in:\n" + text)


def cell(server, command):
    settle(BACKEND)
    cpu = cpu_seconds(server.process.pid)
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    cpu = cpu_seconds(server.process.pid) - cpu
    r = figures(out)
    if r["errors"]:
        raise RuntimeError(f"errors: {out}")
    r["cpu_us"] = cpu / r["requests"] * 1e6
    return r


def main():
    gateway_bin, floor_bin = sys.argv[1:3]
    write_lines("healthz.txt", ["-"])
    one_file = write_lines("ceiling-1.json", [documents.body(0, 1, extended=True)])
    batch_file = write_lines(f"ceiling-{BATCH}.json", [documents.body(0, BATCH, extended=True)])
    single = write_lines("create-1x1.jsonl", [json.dumps(documents.document(i)) for i in range(100)])
    batches = write_lines(f"create-{BATCH}.jsonl", [documents.body(v * BATCH, BATCH) for v in range(20)])
    # 10,000 documents in items and items_v for the updates, 100 ids a request.
    ids = seed(gateway_bin)
    update = {"$inc": {"qty": 1}, "$set": {"notes": "Restocked."}}
    by_ids = {c: write_lines(f"ids-{c}.jsonl", [json.dumps({"ids": ids[c][k:k + IDS], "update": update})
                                                for k in range(0, 10_000, IDS)]) for c in ids}

    def load(method, path, bodies, floor_query=""):
        return lambda s: [sys.executable, CLIENT, method, s.url, path + (floor_query if isinstance(s, Floor) else ""),
                          s.token, bodies, "1", str(SECONDS)]

    cells = [
        ("GET /healthz", load("GET", "/healthz", os.path.join(WORK, "healthz.txt"))),
        ("POST 1x1", load("POST", "/items", single)),
        ("POST 1x1, paired", lambda s: [PAIR, MONGO_URI, DATABASE, "items", "insert-one", one_file, s.url, "POST",
                                        "/items", s.token, single, str(SECONDS)]),
        (f"POST {BATCH}x1", load("POST", "/items/batch", batches)),
        (f"put {IDS} ids, versioning off", load("PUT", "/items/batch", by_ids["items"])),
        (f"put {IDS} ids, versioning off, the floor's in a transaction",
         load("PUT", "/items/batch", by_ids["items"], "?transaction=1")),
        (f"put {IDS} ids, versioning on", load("PUT", "/items_v/batch", by_ids["items_v"])),
    ]
    if ENV.get("BENCH_ONLY"):  # cells whose names contain one of these, "|"-separated
        cells = [c for c in cells if any(part in c[0] for part in ENV["BENCH_ONLY"].split("|"))]
    results = {(which, name): [] for which in ("gateway", "floor") for name, _ in cells}
    for round_ in range(ROUNDS):
        # SecantusDB's inserts slow down as they accumulate: the servers take turns going first.
        for which in ("gateway", "floor") if round_ % 2 == 0 else ("floor", "gateway"):
            server = Gateway(gateway_bin) if which == "gateway" else Floor(floor_bin, one_file, batch_file, by_ids["items"], by_ids["items_v"])
            try:
                for name, command in cells:
                    results[(which, name)].append(cell(server, command(server)))
            finally:
                server.stop()
            print(f"floor: round {round_ + 1}, {which} done", file=sys.stderr)

    def median(which, name, key):
        return statistics.median(r[key] for r in results[(which, name)])

    print("\n| cell | gateway µs CPU / request | floor µs CPU / request | the gateway's own |"
          " gateway p50 ms | floor p50 ms | paired: gateway − ceiling ms | paired: floor − ceiling ms |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, _ in cells:
        g, f = median("gateway", name, "cpu_us"), median("floor", name, "cpu_us")
        runs = lambda which: ", ".join("%.0f" % r["cpu_us"] for r in results[(which, name)])  # noqa: E731
        paired = ["", ""]
        if "paired" in name:
            paired = ["%.2f (ceiling %.2f)" % (median(w, name, "difference_p50_ms"), median(w, name, "ceiling_p50_ms"))
                      for w in ("gateway", "floor")]
        print(f"| {name} | {g:.0f} ({runs('gateway')}) | {f:.0f} ({runs('floor')}) | {g - f:+.0f} "
              f"| {median('gateway', name, 'p50_ms'):.2f} | {median('floor', name, 'p50_ms'):.2f} "
              f"| {paired[0]} | {paired[1]} |")


if __name__ == "__main__":
    main()
