#!/usr/bin/env python3
"""Load scenarios for scripts/bench. scripts/bench starts SecantusDB and the
release gateway and passes them here through the environment; this script seeds data,
runs every scenario for BENCH_SECONDS with client.py (gateway) or the ceiling program
(libmongoc insert_many), reads the gateway's CPU time and memory from /proc, and prints
a table (also written as JSON lines to $BENCH_WORK/results.jsonl).

Env: BENCH_URL, BENCH_TOKEN, BENCH_GATEWAY_PID, BENCH_BACKEND_PID, BENCH_MONGO_URI,
BENCH_DATABASE, BENCH_CEILING, BENCH_WORK, BENCH_SECONDS (default 10),
BENCH_CLIENTS (default "1 4 16"), BENCH_BATCHES (default "100 1000"),
BENCH_UPDATE_CLIENTS (default 1), BENCH_ONLY (substring filter on scenario names),
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

ENV = os.environ
URL = ENV["BENCH_URL"]
TOKEN = ENV["BENCH_TOKEN"]
GATEWAY = int(ENV["BENCH_GATEWAY_PID"])
BACKEND = int(ENV["BENCH_BACKEND_PID"])
MONGO_URI = ENV["BENCH_MONGO_URI"]
DATABASE = ENV["BENCH_DATABASE"]
CEILING = ENV["BENCH_CEILING"]
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
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    """utime + stime of a process from /proc/<pid>/stat (the kernel's accounting)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


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


def settle(pid, limit=60):
    """Waits until the process uses under 5 % of a core over half a second (the backend
    may still be writing after a scenario), at most `limit` seconds."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        before = cpu_seconds(pid)
        time.sleep(0.5)
        if cpu_seconds(pid) - before < 0.025:
            return


def measure(name, kind, batch, clients, command, env=None):
    """Runs one scenario and records throughput, latency, CPU and memory."""
    if ONLY and ONLY not in name:
        return None
    settle(BACKEND)
    settle(GATEWAY)
    reset_peak(GATEWAY)
    gw0, be0, cl0 = cpu_seconds(GATEWAY), cpu_seconds(BACKEND), children_cpu()
    wall0 = time.monotonic()
    run = subprocess.run(command, env={**ENV, **(env or {})}, capture_output=True, text=True)
    wall = time.monotonic() - wall0
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
    row.update(
        name=name, kind=kind, batch=batch, clients=clients, seconds=round(seconds, 2), docs=int(docs),
        docs_per_s=docs / seconds if seconds else 0,
        gateway_cpu_s=round(gw, 2) if kind != "ceiling" else None,
        gateway_cpu_s_per_1000=(gw / docs * 1000) if docs and kind != "ceiling" else None,
        gateway_core_pct=(100 * gw / wall) if kind != "ceiling" else None,
        backend_core_pct=100 * be / wall, client_core_pct=100 * cl / wall,
        peak_rss_mb=mem["VmHWM"] / 1024, rss_after_mb=mem["VmRSS"] / 1024)
    results.append(row)
    print(f"  {name:<34} {row['docs_per_s']:>8.0f} docs/s  p50 {row['p50_ms']:7.1f} ms  p99 {row['p99_ms']:7.1f} ms"
          f"  gw {row['gateway_core_pct'] or 0:5.1f}%  db {row['backend_core_pct']:5.1f}%"
          f"  client {row['client_core_pct']:5.1f}%  errors {row['errors']} partial {row['partial']}", flush=True)
    return row


def load(name, kind, batch, clients, method, path, bodies, env=None, seconds=None):
    command = [sys.executable, CLIENT, method, URL, path, TOKEN, bodies, str(clients), str(seconds or SECONDS)]
    return measure(name, kind, batch, clients, command, env)


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
    ids = {}
    for collection in ("items", "items_v"):
        ids[collection] = []
        for start in range(0, 10_000, 1000):
            status, answer = post(f"/{collection}/batch", documents.body(start, 1000))
            assert status == 201 and not answer["failed"], answer
            ids[collection] += answer["created"]
    print("bench: seeded 10,000 documents in items and items_v")

    # 3. PUT /{c}/batch — 100 documents per request, by filter and by 100 ids, versioning off/on.
    print(f"\nPUT /{{c}}/batch, 100 documents per request, {UPDATE_CLIENTS} clients")
    update = {"$inc": {"qty": 1}, "$set": {"notes": "Restocked."}}
    for collection, label in (("items", "versioning off"), ("items_v", "versioning on")):
        by_filter = write_lines(f"put-filter-{collection}.jsonl", [
            json.dumps({"filter": {"group": g}, "update": update}) for g in range(100)])
        by_ids = write_lines(f"put-ids-{collection}.jsonl", [
            json.dumps({"ids": ids[collection][k:k + 100], "update": update}) for k in range(0, 10_000, 100)])
        load(f"put filter, {label}", "update", 100, UPDATE_CLIENTS, "PUT", f"/{collection}/batch", by_filter)
        load(f"put 100 ids, {label}", "update", 100, UPDATE_CLIENTS, "PUT", f"/{collection}/batch", by_ids)

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

    # 1 + 2. Ceiling and gateway POST, interleaved per cell so both see the same
    # collection size and machine load.
    for batch in BATCHES:
        print(f"\nbatches of {batch}")
        for clients in CLIENTS:
            measure(f"ceiling {batch}x{clients}", "ceiling", batch, clients,
                    [CEILING, MONGO_URI, DATABASE, CEILING_COLLECTION, ceiling_files[batch], str(batch), str(clients),
                     str(SECONDS)])
            load(f"POST {batch}x{clients}", "create", batch, clients, "POST", "/items/batch", create_bodies[batch])
            load(f"POST keyed {batch}x{clients}", "keyed", batch, clients, "POST", "/items/batch", create_bodies[batch],
                 {"BENCH_IDEMPOTENCY_KEYS": "1"})
            load(f"POST atomic {batch}x{clients}", "atomic", batch, clients, "POST", "/items/batch?atomic=true",
                create_bodies[batch])

    time.sleep(20)  # the gateway trims freed heap every 15 s
    after = memory_kb(GATEWAY)
    ceilings = {(r["batch"], r["clients"]): r["docs_per_s"] for r in results if r["kind"] == "ceiling"}
    for r in results:
        c = ceilings.get((r["batch"], r["clients"]))
        r["ratio_to_ceiling"] = (r["docs_per_s"] / c) if c and r["kind"] in ("create", "atomic", "keyed") else None

    print("\n| scenario | docs/s | p50 ms | p99 ms | p99/p50 | × ceiling | gw CPU s /1000 docs "
          "| gw % core | db % core | client % core | peak RSS MB | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        ratio = f"{r['ratio_to_ceiling']:.2f}" if r["ratio_to_ceiling"] is not None else "—"
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
