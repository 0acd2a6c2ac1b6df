#!/usr/bin/env python3
"""A steady mixed load for scripts/soak: does the gateway's memory or descriptor count grow?

Starts a hook receiver on 127.0.0.1 (answers 200 at once), writes a configuration
(`items`, with a post_create hook to the receiver), starts the release gateway on it and
for SOAK_SECONDS runs SOAK_RATE operations per second, each from its own thread on a
fixed schedule, cycling through: a create batch of 5, a list with a filter, an update by
id, a read by id, a delete by id. Every SOAK_SAMPLE_S seconds it samples the gateway's
resident memory (VmRSS) and open descriptors (/proc/PID/fd). At the end it prints the
samples and compares the last third of the samples with the first third after the
warm-up (the first 20 % of the run): "flat" when neither grew by more than 10 % (RSS) or
20 descriptors. Exit status 1 when not flat, or when any request failed.

Env: SOAK_GATEWAY_BIN, SOAK_MONGO_URI, SOAK_WORK, SOAK_SECONDS (default 600), SOAK_RATE
(default 10), SOAK_SAMPLE_S (default 10). Writes the samples to $SOAK_WORK/soak.jsonl.
"""
import http.client
import json
import os
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from local import Receiver, free_port, wait_port  # noqa: E402

ENV = os.environ
GATEWAY_BIN = ENV["SOAK_GATEWAY_BIN"]
MONGO_URI = ENV["SOAK_MONGO_URI"]
WORK = ENV["SOAK_WORK"]
SECONDS = float(ENV.get("SOAK_SECONDS", "600"))
RATE = float(ENV.get("SOAK_RATE", "10"))
SAMPLE_S = float(ENV.get("SOAK_SAMPLE_S", "10"))
SECRET = "soak-only-secret-0123456789abcdef-0123456789"


def sample(pid):
    with open(f"/proc/{pid}/status") as f:
        rss = next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
    return rss, len(os.listdir(f"/proc/{pid}/fd"))


class Load:
    def __init__(self, port, token):
        self.port, self.token = port, token
        self.ids, self.lock = [], threading.Lock()
        self.counts, self.failures = {}, []

    def request(self, method, path, body=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Authorization": "Bearer " + self.token}
        if body is not None:
            headers["Content-Type"] = "application/json"
        connection.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
        response = connection.getresponse()
        data = response.read()
        connection.close()
        return response.status, (json.loads(data) if data else {})

    def take_id(self, keep):
        with self.lock:
            if not self.ids:
                return None
            return self.ids[-1] if keep else self.ids.pop(0)

    def one(self, k):
        kind = ["create", "list", "update", "get", "delete"][k % 5]
        try:
            if kind == "create":
                status, answer = self.request("POST", "/items/batch", {"documents": [
                    {"name": f"item {k}-{i}", "n": i} for i in range(5)]})
                ok = status == 201
                with self.lock:
                    self.ids.extend(answer.get("created", []))
            elif kind == "list":
                status, _ = self.request("GET", '/items?filter={"n":{"$gte":2}}&limit=20')
                ok = status == 200
            else:
                document_id = self.take_id(keep=kind != "delete")
                if document_id is None:
                    return
                if kind == "update":
                    status, _ = self.request("PUT", f"/items/{document_id}", {"$inc": {"n": 1}})
                elif kind == "get":
                    status, _ = self.request("GET", f"/items/{document_id}")
                else:
                    status, _ = self.request("DELETE", f"/items/{document_id}")
                ok = status in (200, 204, 404)  # a concurrent delete may have taken the id
        except Exception as error:  # noqa: BLE001 - every failure is reported
            status, ok = repr(error), False
        with self.lock:
            self.counts[kind] = self.counts.get(kind, 0) + 1
            if not ok:
                self.failures.append((kind, status))


def main():
    receiver = Receiver()
    directory = os.path.join(WORK, "soak-config")
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, "gateway.yml"), "w") as f:
        f.write(
            f"database:\n  uri: {MONGO_URI}\n  name: pm_soak\nauth:\n  jwt:\n    secret: \"{SECRET}\"\n"
            "collections:\n  items:\n    fields:\n      name: { type: string, required: true }\n"
            "      n: { type: integer }\n"
            "policies:\n  items:\n    writer: { actions: [create, read, update, delete] }\n"
            f"hooks:\n  items:\n    post_create:\n      - url: http://127.0.0.1:{receiver.port}/created\n")
    port = free_port()
    env = dict(ENV, PM_LISTEN=f"127.0.0.1:{port}", PM_DATABASE=f"pm_soak_{int(time.time())}")
    log = open(os.path.join(WORK, "soak-gateway.log"), "w")
    gateway = subprocess.Popen([GATEWAY_BIN, "serve", "--config", directory], env=env, stdout=log, stderr=log)
    samples = []
    try:
        wait_port(port)
        token = subprocess.check_output(
            [GATEWAY_BIN, "token", "--config", directory, "--sub", "soak", "--tenant", "t", "--roles", "writer"],
            env=env, text=True).strip()
        load = Load(port, token)
        begin = time.monotonic()
        next_sample = begin
        threads, k = [], 0
        while True:
            now = time.monotonic()
            if now >= next_sample:
                rss, fds = sample(gateway.pid)
                samples.append({"t": round(now - begin, 1), "rss_kb": rss, "fds": fds})
                print(f"soak: t={now - begin:6.0f}s rss={rss / 1024:7.1f} MiB fds={fds}", flush=True)
                next_sample += SAMPLE_S
            due = begin + k / RATE
            if due - begin >= SECONDS:
                break
            time.sleep(max(0.0, min(due, next_sample) - time.monotonic()))
            if time.monotonic() < due:
                continue
            thread = threading.Thread(target=load.one, args=(k,))
            thread.start()
            threads.append(thread)
            threads = [t for t in threads if t.is_alive()]
            k += 1
        for thread in threads:
            thread.join()
        time.sleep(2)
        rss, fds = sample(gateway.pid)
        samples.append({"t": round(time.monotonic() - begin, 1), "rss_kb": rss, "fds": fds})
    finally:
        gateway.terminate()
        gateway.wait(timeout=60)
    with open(os.path.join(WORK, "soak.jsonl"), "w") as f:
        for entry in samples:
            f.write(json.dumps(entry) + "\n")

    steady = [s for s in samples if s["t"] >= SECONDS * 0.2]
    third = max(1, len(steady) // 3)
    early, late = steady[:third], steady[-third:]
    mean = lambda items, key: sum(s[key] for s in items) / len(items)  # noqa: E731
    rss_growth = mean(late, "rss_kb") / mean(early, "rss_kb") - 1
    fd_growth = mean(late, "fds") - mean(early, "fds")
    flat = rss_growth <= 0.10 and fd_growth <= 20
    print(f"soak: {k} operations in {SECONDS:.0f}s ({RATE:g}/s): {json.dumps(load.counts, sort_keys=True)}, "
          f"failed {len(load.failures)}, hook deliveries received {receiver.calls}")
    print(f"soak: after warm-up RSS {mean(early, 'rss_kb') / 1024:.1f} -> {mean(late, 'rss_kb') / 1024:.1f} MiB "
          f"({rss_growth * 100:+.1f} %), descriptors {mean(early, 'fds'):.0f} -> {mean(late, 'fds'):.0f}: "
          f"{'flat' if flat else 'GROWING'}")
    if load.failures:
        print(f"soak: first failures: {load.failures[:5]}")
    raise SystemExit(0 if flat and not load.failures else 1)


if __name__ == "__main__":
    main()
