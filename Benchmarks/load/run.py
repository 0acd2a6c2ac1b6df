#!/usr/bin/env python3
"""Load scenarios for scripts/bench. scripts/bench starts SecantusDB and the
release gateway and passes them here through the environment; this script seeds data,
runs every scenario for BENCH_SECONDS with client.py (gateway) or the ceiling program
(the same work straight through libmongoc), reads the gateway's CPU time and memory from
/proc, and prints a table (also written as JSON lines to $BENCH_WORK/results.jsonl), each
gateway scenario with its ratio to its ceiling.

Env: BENCH_URL, BENCH_TOKEN, BENCH_GATEWAY_PID, BENCH_BACKEND_PID, BENCH_MONGO_URI,
BENCH_DATABASE, BENCH_CEILING, BENCH_PAIR, BENCH_WORK, BENCH_SECONDS (default 10),
BENCH_CLIENTS (default "1 4 16"), BENCH_BATCHES (default "100 1000"),
BENCH_UPDATE_CLIENTS (default 1: updates and deletes), BENCH_ONLY (substrings of scenario names,
separated by `|`: `put |delete ` runs the updates and deletes with their ceilings),
BENCH_CEILING_COLLECTION (default "ceiling"; "items" = the gateway's collection),
BENCH_HOT_SECONDS (default 60: the hot-documents scenario).
"""
import json
import os
import resource
import subprocess
import sys
import time
import urllib.request

sys.dont_write_bytecode = True  # no __pycache__ in the repository
sys.path.insert(0, os.path.dirname(__file__))
import documents  # noqa: E402
from processes import cpu_seconds, settle  # noqa: E402

ENV = os.environ
URL = ENV["BENCH_URL"]
TOKEN = ENV["BENCH_TOKEN"]
GATEWAY = int(ENV["BENCH_GATEWAY_PID"])
BACKEND = int(ENV["BENCH_BACKEND_PID"])
MONGO_URI = ENV["BENCH_MONGO_URI"]
DATABASE = ENV["BENCH_DATABASE"]
CEILING = ENV["BENCH_CEILING"]
PAIR = ENV["BENCH_PAIR"]
WORK = ENV["BENCH_WORK"]
SECONDS = float(ENV.get("BENCH_SECONDS", "10"))
CLIENTS = [int(c) for c in ENV.get("BENCH_CLIENTS", "1 4 16").split()]
BATCHES = [int(b) for b in ENV.get("BENCH_BATCHES", "100 1000").split()]
UPDATE_CLIENTS = int(ENV.get("BENCH_UPDATE_CLIENTS", "1"))
ONLY = ENV.get("BENCH_ONLY", "")
# The ceiling's collection; "items" makes it write where the gateway does (same collection size).
CEILING_COLLECTION = ENV.get("BENCH_CEILING_COLLECTION", "ceiling")
HOT_SECONDS = float(ENV.get("BENCH_HOT_SECONDS", "60"))
CLIENT = os.path.join(os.path.dirname(__file__), "client.py")


def memory_kb(pid):
    values = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, rest = line.partition(":")
            if key in ("VmHWM", "VmRSS"):
                values[key] = int(rest.split()[0])
    return values


def reset_peak(pid):
    """Resets VmHWM to the current RSS (Linux ≥ 4.0), so each scenario has its own peak."""
    with open(f"/proc/{pid}/clear_refs", "w") as f:
        f.write("5")


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def post(path, body, method="POST"):
    request = urllib.request.Request(
        URL + path, data=body.encode(), method=method,
        headers={"Authorization": "Bearer " + TOKEN, "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=600) as response:
        return response.status, json.loads(response.read())


def get(path):
    request = urllib.request.Request(URL + path, headers={"Authorization": "Bearer " + TOKEN})
    with urllib.request.urlopen(request, timeout=600) as response:
        return json.loads(response.read())


def contiguous(versions):
    numbers = sorted(v["version"] for v in versions)
    return numbers == list(range(1, len(numbers) + 1))


def write_lines(name, lines):
    path = os.path.join(WORK, name)
    with open(path, "w") as f:
        for line in lines:
            f.write(line + "\n")
    return path


def parse_result(text):
    for line in text.splitlines():
        if line.startswith("requests="):
            return {k: float(v) for k, v in (p.split("=") for p in line.split())}
    raise RuntimeError("no result line in:\n" + text)


results = []


def selected(name):
    """BENCH_ONLY: substrings separated by `|`, any of which selects a scenario."""
    return not ONLY or any(part in name for part in ONLY.split("|"))


def measure(name, kind, batch, clients, command, env=None, ceiling=None, beside=None):
    """Runs one scenario and records throughput, latency, CPU and memory; `ceiling` names
    the row it is compared with. `beside`: a load client's command run meanwhile (started
    a second before); its request count is recorded, its work is in the CPU figures."""
    if not selected(name):
        return None
    settle(BACKEND)
    settle(GATEWAY)
    reset_peak(GATEWAY)
    background = None
    if beside:
        background = subprocess.Popen(beside, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        time.sleep(1)
    gw0, be0, cl0 = cpu_seconds(GATEWAY), cpu_seconds(BACKEND), children_cpu()
    wall0 = time.monotonic()
    run = subprocess.run(command, env={**ENV, **(env or {})}, capture_output=True, text=True)
    wall = time.monotonic() - wall0
    beside_result = None
    if background:
        beside_result = parse_result(background.communicate()[0])
    gw, be, cl = cpu_seconds(GATEWAY) - gw0, cpu_seconds(BACKEND) - be0, children_cpu() - cl0
    if run.returncode != 0:
        print(f"bench: {name} failed ({run.returncode}):\n{run.stdout}\n{run.stderr}", file=sys.stderr)
        return None
    r = parse_result(run.stdout)
    if run.stderr.strip():
        print(f"bench: {name}: {run.stderr.strip()[:600]}", file=sys.stderr)
    mem = memory_kb(GATEWAY)
    seconds = r["seconds"]
    docs = r["documents"]
    row = dict(requests=int(r["requests"]), errors=int(r["errors"]), partial=int(r.get("partial", 0)),
               p50_ms=r["p50_ms"], p99_ms=r["p99_ms"])
    # The pair program's: its ceiling calls' latency and the median difference per pair.
    row.update({k: r[k] for k in ("ceiling_p50_ms", "ceiling_p99_ms", "difference_p50_ms") if k in r})
    row.update(
        name=name, kind=kind, ceiling=ceiling, batch=batch, clients=clients, seconds=round(seconds, 2), docs=int(docs),
        docs_per_s=docs / seconds if seconds else 0,
        gateway_cpu_s=round(gw, 2) if kind != "ceiling" else None,
        gateway_cpu_s_per_1000=(gw / docs * 1000) if docs and kind != "ceiling" else None,
        gateway_core_pct=(100 * gw / wall) if kind != "ceiling" else None,
        backend_core_pct=100 * be / wall, client_core_pct=100 * cl / wall,
        peak_rss_mb=mem["VmHWM"] / 1024, rss_after_mb=mem["VmRSS"] / 1024)
    if beside_result:
        row.update(beside_requests=int(beside_result["requests"]), beside_p50_ms=beside_result["p50_ms"])
    results.append(row)
    print(f"  {name:<34} {row['docs_per_s']:>8.0f} docs/s  p50 {row['p50_ms']:7.1f} ms  p99 {row['p99_ms']:7.1f} ms"
          f"  gw {row['gateway_core_pct'] or 0:5.1f}%  db {row['backend_core_pct']:5.1f}%"
          f"  client {row['client_core_pct']:5.1f}%  errors {row['errors']} partial {row['partial']}", flush=True)
    if beside_result:
        print(f"  {'':<34} beside it: {int(beside_result['requests'])} requests,"
              f" p50 {beside_result['p50_ms']:.1f} ms", flush=True)
    return row


def load(name, kind, batch, clients, method, path, bodies, env=None, seconds=None, ceiling=None, beside=None):
    """A gateway scenario (client.py); seconds=0: one pass over the bodies. `beside`:
    (method, path, bodies, clients) of a load run meanwhile."""
    seconds = SECONDS if seconds is None else seconds
    command = [sys.executable, CLIENT, method, URL, path, TOKEN, bodies, str(clients), str(seconds)]
    background = None
    if beside:
        b_method, b_path, b_bodies, b_clients = beside
        # From a second before the measured load to about its end.
        background = [sys.executable, CLIENT, b_method, URL, b_path, TOKEN, b_bodies, str(b_clients), str(seconds + 1)]
    return measure(name, kind, batch, clients, command, env, ceiling, background)


def ceiling_cell(name, batch, clients, collection, bodies, mode="insert", seconds=None):
    """The ceiling program's cell for a scenario (same bodies file, same collection)."""
    seconds = SECONDS if seconds is None else seconds
    command = [CEILING, MONGO_URI, DATABASE, collection, bodies, str(batch), str(clients), str(seconds), mode]
    return measure(name, "ceiling", batch, clients, command)


def pair_cell(name, kind, mode, collection, ceiling_bodies, method, path, bodies):
    """A gateway scenario at 1 client timed in turns with its ceiling's call (the pair
    program): each request beside a call against the same state of the backend."""
    command = [PAIR, MONGO_URI, DATABASE, collection, mode, ceiling_bodies, URL, method, path, TOKEN, bodies,
               str(SECONDS)]
    row = measure(name, kind, 1, 1, command)
    if row:
        print(f"  {'':<34} its ceiling's call p50 {row['ceiling_p50_ms']:.2f} ms, p99 {row['ceiling_p99_ms']:.2f} ms;"
              f" the gateway's request {row['difference_p50_ms']:.2f} ms longer (median of the pairs)", flush=True)
    return row


def seed(collection):
    """10,000 documents (100 per `group`) created through the gateway; their ids."""
    ids = []
    for start in range(0, 10_000, 1000):
        status, answer = post(f"/{collection}/batch", documents.body(start, 1000))
        assert status == 201 and not answer["failed"], answer
        ids += answer["created"]
    return ids


def delete_cells(collection, label, mode):
    """DELETE /{c}/batch by filter and by 100 ids, each beside its ceiling. A delete uses up
    its documents, so a timed run would find fewer and fewer of them: each cell instead seeds
    10,000 documents in `collection` (empty before: the cell before deleted all of its own)
    and deletes them all in one pass, 100 requests of 100 (client.py and the ceiling with
    SECONDS 0). Every cell does the same work, on a collection going from 10,000 to none."""
    for target in ("filter", "100 ids"):
        name = f"delete {target}, {label}"
        for cell in ("ceiling " + name, name):
            if not selected(cell):
                continue
            ids = seed(collection)
            bodies = write_lines(f"delete-{collection}.jsonl", [
                json.dumps({"filter": {"group": g}}) for g in range(100)] if target == "filter" else [
                json.dumps({"ids": ids[k:k + 100]}) for k in range(0, 10_000, 100)])
            if cell == name:
                row = load(name, "delete", 100, UPDATE_CLIENTS, "DELETE", f"/{collection}/batch", bodies,
                           seconds=0, ceiling="ceiling " + name)
            else:
                row = ceiling_cell(cell, 100, UPDATE_CLIENTS, collection, bodies, mode, seconds=0)
            if row and row["docs"] != 10_000:
                print(f"bench: {cell} deleted {row['docs']} of 10,000 documents: "
                      f"the next cells of {collection} find the others", file=sys.stderr)


def main():
    baseline = memory_kb(GATEWAY)
    print(f"bench: gateway pid {GATEWAY}, RSS at start {baseline['VmRSS'] / 1024:.1f} MB; {SECONDS:g} s per scenario")

    # Request bodies: several different ones per batch size, so bodies vary.
    create_bodies, ceiling_files = {}, {}
    for batch in BATCHES:
        variants = max(2, 2000 // batch)
        create_bodies[batch] = write_lines(
            f"create-{batch}.jsonl", [documents.body(v * batch, batch) for v in range(variants)])
        ceiling_files[batch] = write_lines(f"ceiling-{batch}.json", [documents.body(0, batch, extended=True)])

    # A sanity check: one batch of each size is created in full (schema and policy pass).
    for batch in BATCHES:
        status, answer = post("/items/batch", documents.body(0, batch))
        assert status == 201 and len(answer["created"]) == batch and not answer["failed"], answer

    # Seed 10,000 documents (100 per `group`) in items and items_v for the updates.
    ids = {collection: seed(collection) for collection in ("items", "items_v")}
    print("bench: seeded 10,000 documents in items and items_v")

    # 3. PUT /{c}/batch — 100 documents per request, by filter and by 100 ids, versioning off/on,
    # each after its ceiling: the same bodies on the same documents (the ceiling's updates
    # change them as the gateway's do; its versions go to a collection of its own).
    print(f"\nPUT /{{c}}/batch, 100 documents per request, {UPDATE_CLIENTS} clients")
    update = {"$inc": {"qty": 1}, "$set": {"notes": "Restocked."}}
    for collection, label, mode in (("items", "versioning off", "update"),
                                    ("items_v", "versioning on", "versioned-update")):
        by_filter = write_lines(f"put-filter-{collection}.jsonl", [
            json.dumps({"filter": {"group": g}, "update": update}) for g in range(100)])
        by_ids = write_lines(f"put-ids-{collection}.jsonl", [
            json.dumps({"ids": ids[collection][k:k + 100], "update": update}) for k in range(0, 10_000, 100)])
        for name, bodies in ((f"put filter, {label}", by_filter), (f"put 100 ids, {label}", by_ids)):
            ceiling_cell("ceiling " + name, 100, UPDATE_CLIENTS, collection, bodies, mode)
            load(name, "update", 100, UPDATE_CLIENTS, "PUT", f"/{collection}/batch", bodies,
                 ceiling="ceiling " + name)

    # DELETE /{c}/batch — the same, on collections of their own (items_d, items_dv).
    print(f"\nDELETE /{{c}}/batch, 100 documents per request, {UPDATE_CLIENTS} clients, one pass over 10,000")
    delete_cells("items_d", "versioning off", "delete")
    delete_cells("items_dv", "versioning on", "versioned-delete")

    # 4. Hot documents: 16 clients, each request incrementing one of the same 20 documents
    # of the versioned collection; then every increment must be there and every document's
    # version numbers contiguous.
    hot_ids = ids["items_v"][:20]
    hot = write_lines("put-hot.jsonl", [
        json.dumps({"ids": [i], "update": {"$inc": {"qty": 1}}}) for i in hot_ids])
    # The same 20 documents in every request: every transaction conflicts with every other.
    hot_all = write_lines("put-hot-all.jsonl", [json.dumps({"ids": hot_ids, "update": {"$inc": {"qty": 1}}})])
    for name, bodies, batch in (("hot 20 docs x16, versioning on", hot, 1),
                                ("hot 20 docs all in each x16, versioning on", hot_all, 20)):
        before = {i: get(f"/items_v/{i}")["qty"] for i in hot_ids}
        row = load(name, "update", batch, 16, "PUT", "/items_v/batch", bodies, seconds=HOT_SECONDS)
        if row:
            added = sum(get(f"/items_v/{i}")["qty"] - before[i] for i in hot_ids)
            gaps = [i for i in hot_ids if not contiguous(get(f"/items_v/{i}/versions?limit=1000")["data"])]
            print(f"  {name}: {added} increments stored for {row['docs']} answered; "
                  f"version numbers {'contiguous' if not gaps else 'NOT contiguous on ' + str(len(gaps))}", flush=True)

    # Single documents, 1 client: POST /{c} and GET /{c}/{id} (of the seeded documents) beside
    # one insert and one find by _id straight through libmongoc.
    print("\nsingle documents, 1 client")
    single = write_lines("create-1x1.jsonl", [json.dumps(documents.document(i)) for i in range(100)])
    ceiling_single = write_lines("ceiling-1.json", [documents.body(0, 1, extended=True)])
    ceiling_reads = write_lines("find-1x1.jsonl", [json.dumps({"id": i}) for i in ids["items"]])
    reads = write_lines("get-1x1.txt", ids["items"])
    ceiling_cell("ceiling insert 1x1", 1, 1, CEILING_COLLECTION, ceiling_single, "insert-one")
    load("POST 1x1", "create", 1, 1, "POST", "/items", single, ceiling="ceiling insert 1x1")
    # SecantusDB's single journaled inserts get slower as they accumulate (0.8 → 1.4–1.8 ms
    # over 8,000 in a row, BENCHMARKS.md): the ceiling again after the gateway's cell
    # brackets it, so the gateway's figure can be read against both.
    ceiling_cell("ceiling insert 1x1, after", 1, 1, CEILING_COLLECTION, ceiling_single, "insert-one")
    ceiling_cell("ceiling find 1x1", 1, 1, "items", ceiling_reads, "find-one")
    load("GET 1x1", "read", 1, 1, "GET", "/items/{line}", reads, ceiling="ceiling find 1x1")
    # The floor of any request: this load client's HTTP round trip to the gateway, and the
    # gateway's HTTP and middleware, without a token, a plan or a database call.
    load("GET /healthz 1x1", "read", 1, 1, "GET", "/healthz", write_lines("healthz.txt", ["-"]))
    # The same requests in turns with the ceiling's call, from one C client (no Python HTTP
    # client in the figure): insert and request alternate against one state of the backend,
    # in the gateway's own collection.
    pair_cell("POST 1x1, paired", "create", "insert-one", "items", ceiling_single, "POST", "/items", single)
    pair_cell("GET 1x1, paired", "read", "find-one", "items", ceiling_reads, "GET", "/items/{line}", reads)

    # Small reads beside large bodies: 4 clients read while one client sends 1000-document
    # atomic batches of 2.3 MB whose last document is invalid (parsed and checked whole, then
    # 422: the gateway's CPU, no write). The reads' latency against the same reads alone.
    print("\nsmall reads beside large bodies")
    large = json.loads(documents.body(0, 1000))
    for document in large["documents"]:
        document["notes"] = "n" * 1900
    large["documents"][-1]["price"] = -1
    refused = write_lines("create-1000-refused.jsonl", [json.dumps(large, separators=(",", ":"))])
    load("GET 1x4", "read", 1, 4, "GET", "/items/{line}", reads)
    load("GET 1x4 beside 2.3 MB bodies", "read", 1, 4, "GET", "/items/{line}", reads, ceiling="GET 1x4",
         beside=("POST", "/items/batch?atomic=true", refused, 1))

    # 1 + 2. Ceiling and gateway POST, interleaved per cell so both see the same
    # collection size and machine load.
    for batch in BATCHES:
        print(f"\nbatches of {batch}")
        for clients in CLIENTS:
            cell = f"ceiling {batch}x{clients}"
            ceiling_cell(cell, batch, clients, CEILING_COLLECTION, ceiling_files[batch])
            load(f"POST {batch}x{clients}", "create", batch, clients, "POST", "/items/batch", create_bodies[batch],
                 ceiling=cell)
            load(f"POST keyed {batch}x{clients}", "keyed", batch, clients, "POST", "/items/batch", create_bodies[batch],
                 {"BENCH_IDEMPOTENCY_KEYS": "1"}, ceiling=cell)
            load(f"POST atomic {batch}x{clients}", "atomic", batch, clients, "POST", "/items/batch?atomic=true",
                 create_bodies[batch], ceiling=cell)

    time.sleep(20)  # the gateway trims freed heap every 15 s
    after = memory_kb(GATEWAY)
    ceilings = {r["name"]: r["docs_per_s"] for r in results if r["kind"] == "ceiling"}
    for r in results:
        c = ceilings.get(r["ceiling"])
        r["ratio_to_ceiling"] = (r["docs_per_s"] / c) if c else None

    print("\n| scenario | docs/s | p50 ms | p99 ms | p99/p50 | × ceiling | gw CPU s /1000 docs "
          "| gw % core | db % core | client % core | peak RSS MB | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        ratio = f"{r['ratio_to_ceiling']:.2f}" if r["ratio_to_ceiling"] is not None else "—"
        if "difference_p50_ms" in r:  # paired: how much longer than its ceiling's call
            ratio = f"p50 +{r['difference_p50_ms']:.2f} ms"
        cpu = f"{r['gateway_cpu_s_per_1000']:.3f}" if r["gateway_cpu_s_per_1000"] is not None else "—"
        core = f"{r['gateway_core_pct']:.0f}" if r["gateway_core_pct"] is not None else "—"
        spread = f"{r['p99_ms'] / r['p50_ms']:.2f}" if r["p50_ms"] else "—"
        errors = f"{r['errors']}" + (f" (+{r['partial']} partial)" if r["partial"] else "")
        print(f"| {r['name']} | {r['docs_per_s']:.0f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | {spread} | {ratio} "
              f"| {cpu} | {core} | {r['backend_core_pct']:.0f} | {r['client_core_pct']:.0f} "
              f"| {r['peak_rss_mb']:.0f} | {errors} |")
    print(f"\ngateway RSS: {baseline['VmRSS'] / 1024:.1f} MB at start, {after['VmRSS'] / 1024:.1f} MB 20 s after "
          f"the last scenario; peak over the whole run {after['VmHWM'] / 1024:.1f} MB (since the last reset)")
    with open(os.path.join(WORK, "results.jsonl"), "w") as f:
        for r in results:
            f.write(json.dumps(r) + "\n")
        f.write(json.dumps({"rss_start_mb": baseline["VmRSS"] / 1024, "rss_end_mb": after["VmRSS"] / 1024}) + "\n")


if __name__ == "__main__":
    main()
