#!/usr/bin/env python3
"""What a declared index does to `PUT /{c}/batch` by filter, for scripts/bench-indexes.

Writes a configuration with two collections of the benchmark document plus `bucket`
(document number % 1000, so 100 documents per value at 100,000 documents): `items`, whose
policy has the benchmark's `when` (`created_by ==`, `price >=`, `category !=`, so the
filter the backend sees has two range clauses besides the equalities), and `plain`, whose
policy has none (the backend sees `{tenant_id, bucket}`). Starts the release gateway
without indexes, seeds IDX_DOCUMENTS documents in each collection, and measures
`PUT /{c}/batch` with `{"filter": {"bucket": k}}` for IDX_SECONDS per collection (one
client, client.py). Then restarts the gateway with `indexes: [{fields: {bucket: 1}}]` on
both collections (the index is built at start-up: the time is reported) and measures the
same again on the same documents. With pymongo at hand (the .venv), it also prints
SecantusDB's `explain` of the scoped filter before and after.

Env: IDX_GATEWAY_BIN, IDX_MONGO_URI, IDX_WORK, IDX_DOCUMENTS (default 100000),
IDX_SECONDS (default 30). Writes the results to $IDX_WORK/indexes.jsonl.
"""
import json
import os
import subprocess
import sys
import time
import urllib.request

sys.dont_write_bytecode = True  # no __pycache__ in the repository
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import documents  # noqa: E402
from local import free_port, wait_port  # noqa: E402

ENV = os.environ
GATEWAY_BIN = ENV["IDX_GATEWAY_BIN"]
MONGO_URI = ENV["IDX_MONGO_URI"]
WORK = ENV["IDX_WORK"]
DOCUMENTS = int(ENV.get("IDX_DOCUMENTS", "100000"))
SECONDS = float(ENV.get("IDX_SECONDS", "30"))
BUCKETS = 1000
DATABASE = "pm_bench_indexes"
SECRET = "bench-only-secret-0123456789abcdef-0123456789"
CLIENT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "client.py")
WHEN = 'doc.created_by == user.id and doc.price >= 0 and doc.category != "banned"'
FIELDS = """      name:     { type: string, required: true, min_length: 3, max_length: 200 }
      sku:      { type: string, pattern: "^[A-Z]{3}-[0-9]+$" }
      price:    { type: number, required: true, min: 0 }
      qty:      { type: integer, min: 0 }
      category: { type: string, enum: [widgets, gadgets, gizmos] }
      tags:     { type: array, items: { type: string, max_length: 32 } }
      dims:     { type: object, fields: { w: { type: number, min: 0 }, h: { type: number, min: 0 }, d: { type: number, min: 0 } } }
      supplier: { type: object, fields: { name: { type: string, required: true }, country: { type: string, min_length: 2, max_length: 2 } } }
      released: { type: date }
      rating:   { type: number, min: 0, max: 5 }
      active:   { type: boolean, default: true }
      group:    { type: integer, min: 0 }
      bucket:   { type: integer, min: 0 }
      notes:    { type: string, max_length: 2000 }
"""


def config(directory, indexed):
    os.makedirs(directory, exist_ok=True)
    indexes = "    indexes:\n      - fields: { bucket: 1 }\n" if indexed else ""
    collections = "".join(
        f"  {name}:\n    fields:\n{FIELDS}    additional_fields: reject\n{indexes}" for name in ("items", "plain"))
    with open(os.path.join(directory, "gateway.yml"), "w") as f:
        f.write(f"""server:
  max_batch_size: 1000
  max_body_bytes: 16777216
database:
  name: {DATABASE}
  pool_size: 16
auth:
  jwt:
    secret: "{SECRET}"
collections:
{collections}policies:
  items:
    admin:
      actions: [create, read, update, delete]
      when: {json.dumps(WHEN)}
  plain:
    admin:
      actions: [create, read, update, delete]
""")


def body(start, count):
    docs = [dict(documents.document(i), bucket=i % BUCKETS) for i in range(start, start + count)]
    return json.dumps({"documents": docs}, separators=(",", ":"))


class Gateway:
    def __init__(self, phase, indexed):
        self.directory = os.path.join(WORK, f"config-{phase}")
        config(self.directory, indexed)
        self.port = free_port()
        self.env = dict(ENV, PM_MONGODB_URI=MONGO_URI, PM_LISTEN=f"127.0.0.1:{self.port}", MALLOC_ARENA_MAX="2")
        self.log = open(os.path.join(WORK, f"gateway-{phase}.log"), "w")
        started = time.monotonic()
        self.process = subprocess.Popen(
            [GATEWAY_BIN, "serve", "--config", self.directory], env=self.env, stdout=self.log, stderr=self.log)
        wait_port(self.port, seconds=1800)
        self.start_seconds = time.monotonic() - started
        self.url = f"http://127.0.0.1:{self.port}"
        self.token = subprocess.check_output(
            [GATEWAY_BIN, "token", "--config", self.directory, "--sub", "bench", "--tenant", "t", "--roles", "admin"],
            env=self.env, text=True).strip()

    def post(self, path, payload):
        request = urllib.request.Request(
            self.url + path, data=payload.encode(), method="POST",
            headers={"Authorization": "Bearer " + self.token, "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=600) as response:
            return response.status, json.loads(response.read())

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def put_by_filter(gateway, collection, phase):
    update = {"$inc": {"qty": 1}, "$set": {"notes": "Restocked."}}
    bodies = os.path.join(WORK, f"put-{collection}.jsonl")
    with open(bodies, "w") as f:
        for k in range(BUCKETS):
            f.write(json.dumps({"filter": {"bucket": k}, "update": update}) + "\n")
    run = subprocess.run(
        [sys.executable, CLIENT, "PUT", gateway.url, f"/{collection}/batch", gateway.token, bodies, "1", str(SECONDS)],
        capture_output=True, text=True, check=True)
    line = next(line for line in run.stdout.splitlines() if line.startswith("requests="))
    figures = {k: float(v) for k, v in (part.split("=") for part in line.split())}
    row = dict(phase=phase, collection=collection, requests=int(figures["requests"]),
               documents=int(figures["documents"]), errors=int(figures["errors"]),
               docs_per_s=round(figures["documents"] / figures["seconds"], 1),
               p50_ms=figures["p50_ms"], p99_ms=figures["p99_ms"])
    print(f"indexes: {phase:<6} {collection:<6} {row['docs_per_s']:>8.1f} docs/s  p50 {row['p50_ms']:9.1f} ms  "
          f"p99 {row['p99_ms']:9.1f} ms  requests {row['requests']}  errors {row['errors']}", flush=True)
    if run.stderr.strip():
        print(f"indexes: client: {run.stderr.strip()[:400]}", flush=True)
    with open(os.path.join(WORK, "indexes.jsonl"), "a") as f:
        f.write(json.dumps(row) + "\n")
    return row


def explain(phase):
    """SecantusDB's plan for the scoped filters the gateway sends (client filter, policy, tenant)."""
    try:
        import pymongo
    except ImportError:
        print("indexes: no pymongo here: no explain (run with .venv/bin/python)")
        return
    db = pymongo.MongoClient(MONGO_URI)[DATABASE]
    filters = {
        "items": {"bucket": 7, "created_by": "bench", "price": {"$gte": 0}, "category": {"$ne": "banned"},
                  "tenant_id": "t"},
        "plain": {"bucket": 7, "tenant_id": "t"},
    }
    for collection, query in filters.items():
        plan = db.command("explain", {"find": collection, "filter": query}, verbosity="executionStats")
        stats = plan.get("executionStats", {})
        winning = plan.get("queryPlanner", {}).get("winningPlan", {})
        print(f"indexes: explain {phase:<6} {collection:<6} {json.dumps(winning)[:200]}  "
              f"docsExamined={stats.get('totalDocsExamined')} keysExamined={stats.get('totalKeysExamined')} "
              f"returned={stats.get('nReturned')}", flush=True)


def main():
    before = Gateway("before", indexed=False)
    try:
        print(f"indexes: gateway without indexes listening after {before.start_seconds:.1f} s")
        for collection in ("items", "plain"):
            for start in range(0, DOCUMENTS, 1000):
                status, answer = before.post(f"/{collection}/batch", body(start, min(1000, DOCUMENTS - start)))
                assert status == 201 and not answer["failed"], answer
        print(f"indexes: seeded {DOCUMENTS} documents in items and plain", flush=True)
        explain("before")
        for collection in ("items", "plain"):
            put_by_filter(before, collection, "before")
    finally:
        before.stop()
    after = Gateway("after", indexed=True)
    try:
        print(f"indexes: gateway with indexes listening after {after.start_seconds:.1f} s "
              f"(building {{tenant_id: 1, bucket: 1}} on 2 × {DOCUMENTS} documents)", flush=True)
        explain("after")
        for collection in ("items", "plain"):
            put_by_filter(after, collection, "after")
    finally:
        after.stop()


if __name__ == "__main__":
    main()
