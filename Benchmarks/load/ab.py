#!/usr/bin/env python3
"""Gateway CPU per request of two builds, alternated on one backend (scripts/bench-ab).

    ab.py BIN_A BIN_B

A difference of a few percent in the gateway's CPU is lost in scripts/bench's run-to-run
noise (the backend's state and the machine's load move every figure by 10-20 %). Here the
two builds serve the same backend and documents in turns, A B A B ..., BENCH_ROUNDS
rounds, each scenario BENCH_SECONDS per turn with one client, and the median CPU per
request of each build is compared. CPU is the gateway process's user + system time
(/proc/PID/stat) over the turn; context switches are its threads' voluntary and
involuntary ones. Environment: BENCH_MONGO_URI, BENCH_DATABASE, BENCH_CONFIG_DIR,
BENCH_WORK, BENCH_BACKEND_PID (from scripts/bench-ab). Each turn starts once the backend is idle.
"""
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
import documents  # noqa: E402
from processes import cpu_seconds, settle, switches  # noqa: E402

ENV = os.environ
ROUNDS = int(ENV.get("BENCH_ROUNDS", "3"))
SECONDS = float(ENV.get("BENCH_SECONDS", "15"))
WORK = ENV["BENCH_WORK"]
CONFIG = ENV["BENCH_CONFIG_DIR"]
BACKEND = int(ENV["BENCH_BACKEND_PID"])
CLIENT = os.path.join(os.path.dirname(__file__), "client.py")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gateway:
    def __init__(self, binary):
        self.port = free_port()
        env = dict(ENV, PM_LISTEN=f"127.0.0.1:{self.port}", MALLOC_ARENA_MAX="2",
                   PM_MONGODB_URI=ENV["BENCH_MONGO_URI"], PM_DATABASE=ENV["BENCH_DATABASE"])
        self.log = open(os.path.join(WORK, "gateway.log"), "a")
        self.process = subprocess.Popen([binary, "serve", "--config", CONFIG], env=env,
                                        stdout=self.log, stderr=subprocess.STDOUT)
        self.url = f"http://127.0.0.1:{self.port}"
        self.token = subprocess.check_output(
            [binary, "token", "--config", CONFIG, "--sub", "u", "--tenant", "t", "--roles", "admin"], env=env,
            text=True).strip()
        for _ in range(600):
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.1):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the gateway did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(30)
        self.log.close()

    def post(self, path, body):
        request = urllib.request.Request(self.url + path, data=body.encode(), method="POST", headers={
            "Authorization": "Bearer " + self.token, "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=600) as response:
            return json.loads(response.read())

    def run(self, method, path, bodies):
        pid = self.process.pid
        settle(BACKEND)
        cpu, ctx = cpu_seconds(pid), switches(pid)
        out = subprocess.run([sys.executable, CLIENT, method, self.url, path, self.token, bodies, "1", str(SECONDS)],
                             capture_output=True, text=True, check=True).stdout
        cpu, ctx = cpu_seconds(pid) - cpu, switches(pid) - ctx
        figures = dict(p.split("=") for p in out.strip().splitlines()[-1].split())
        requests = int(figures["requests"])
        if int(figures["errors"]):
            raise RuntimeError(f"{method} {path}: errors: {out}")
        return {"cpu_us": cpu / requests * 1e6, "ctx": ctx / requests, "rps": requests / SECONDS}


def seed(binary):
    """10,000 documents in items and items_v through a gateway of `binary`: their ids."""
    gateway = Gateway(binary)
    ids = {}
    for collection in ("items", "items_v"):
        ids[collection] = []
        for start in range(0, 10_000, 1000):
            ids[collection] += gateway.post(f"/{collection}/batch", documents.body(start, 1000))["created"]
    gateway.stop()
    return ids


def write_lines(name, lines):
    path = os.path.join(WORK, name)
    with open(path, "w") as f:
        f.writelines(line + "\n" for line in lines)
    return path


def main():
    binaries = sys.argv[1:3]
    ids = seed(binaries[0])
    update = {"$inc": {"qty": 1}, "$set": {"notes": "Restocked."}}
    scenarios = [
        ("POST 1x1", "POST", "/items", write_lines("one.jsonl", [json.dumps(documents.document(i)) for i in range(100)])),
        ("GET 1x1", "GET", "/items/{line}", write_lines("get.txt", ids["items"][:1000])),
        ("POST 100x1", "POST", "/items/batch", write_lines("create.jsonl", [documents.body(v * 100, 100) for v in range(20)])),
        ("POST atomic 100x1", "POST", "/items/batch?atomic=true", os.path.join(WORK, "create.jsonl")),
        ("POST 1000x1", "POST", "/items/batch",
         write_lines("create-1000.jsonl", [documents.body(v * 1000, 1000) for v in range(4)])),
    ]
    for collection, label in (("items", "versioning off"), ("items_v", "versioning on")):
        bodies = write_lines(f"ids-{collection}.jsonl", [
            json.dumps({"ids": ids[collection][k:k + 100], "update": update}) for k in range(0, 10_000, 100)])
        scenarios.append((f"put 100 ids, {label}", "PUT", f"/{collection}/batch", bodies))
        bodies = write_lines(f"ids-1000-{collection}.jsonl", [
            json.dumps({"ids": ids[collection][k:k + 1000], "update": update}) for k in range(0, 10_000, 1000)])
        scenarios.append((f"put 1000 ids, {label}", "PUT", f"/{collection}/batch", bodies))
    only = [s for s in ENV.get("BENCH_ONLY", "").split("|") if s]
    scenarios = [s for s in scenarios if not only or any(o in s[0] for o in only)]

    figures = {(b, s[0]): [] for b in (0, 1) for s in scenarios}
    for round_ in range(ROUNDS):
        for which, binary in enumerate(binaries):
            gateway = Gateway(binary)
            try:
                # Unmeasured: the first requests of a process fill its pools and caches.
                subprocess.run([sys.executable, CLIENT, "GET", gateway.url, "/items/{line}", gateway.token,
                                os.path.join(WORK, "get.txt"), "1", "3"], capture_output=True, check=True)
                for name, method, path, bodies in scenarios:
                    figures[(which, name)].append(gateway.run(method, path, bodies))
            finally:
                gateway.stop()
            print(f"ab: round {round_ + 1}, {os.path.basename(binary)} done", file=sys.stderr)

    a, b = (os.path.basename(x) for x in binaries)
    print(f"\n| scenario | {a} µs CPU / request | {b} µs CPU / request | change | {a} switches / request"
          f" | {b} switches / request | {a} req/s | {b} req/s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, *_ in scenarios:
        ra, rb = figures[(0, name)], figures[(1, name)]
        ca = statistics.median(r["cpu_us"] for r in ra)
        cb = statistics.median(r["cpu_us"] for r in rb)
        runs_a = ", ".join("%.0f" % r["cpu_us"] for r in ra)
        runs_b = ", ".join("%.0f" % r["cpu_us"] for r in rb)
        print(f"| {name} | {ca:.0f} ({runs_a}) | {cb:.0f} ({runs_b}) | {100 * (cb - ca) / ca:+.0f} % "
              f"| {statistics.median(r['ctx'] for r in ra):.1f} | {statistics.median(r['ctx'] for r in rb):.1f} "
              f"| {statistics.median(r['rps'] for r in ra):.0f} | {statistics.median(r['rps'] for r in rb):.0f} |")


if __name__ == "__main__":
    main()
