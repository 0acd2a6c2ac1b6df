#!/usr/bin/env python3
"""Delivery latency of post-hooks, for scripts/bench-hooks: is a fast endpoint held up by
another endpoint that times out on every call?

For each scenario this script starts two hook receivers on 127.0.0.1 (fast: answers 200
at once and notes when each document's delivery arrived; slow: answers after
SLOW_SLEEP_S, longer than its hook's timeout_ms, so every call times out), writes a
configuration (`fast_items` post_create -> fast receiver, `slow_items` post_create -> slow
receiver), starts the release gateway on it, and for BENCH_SECONDS sends one-document
creates to `fast_items` at BENCH_RATE per second (and, when the scenario has another
endpoint, the same to `slow_items`, whose receiver is then slow or, for the baseline
with the same load, fast). Latency = when the fast receiver got the delivery
minus when the client sent the write: an upper bound of commit -> receipt (the write's
own time is in it; its p50 is printed beside). Every write is sent from its own thread on
a schedule, so a slow answer never delays the next write.

Env: BENCH_GATEWAY_BIN, BENCH_MONGO_URI, BENCH_WORK, BENCH_SECONDS (default 20),
BENCH_RATE (writes per second per collection, default 20), BENCH_ONLY (scenario filter).
Prints one line per scenario and writes them to $BENCH_WORK/hooks.jsonl.
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
GATEWAY_BIN = ENV["BENCH_GATEWAY_BIN"]
MONGO_URI = ENV["BENCH_MONGO_URI"]
WORK = ENV["BENCH_WORK"]
SECONDS = float(ENV.get("BENCH_SECONDS", "20"))
RATE = float(ENV.get("BENCH_RATE", "20"))
ONLY = ENV.get("BENCH_ONLY", "")
SLOW_TIMEOUT_MS = 5000  # the default timeout_ms
SLOW_SLEEP_S = 8.0
SECRET = "bench-only-secret-0123456789abcdef-0123456789"

# name, the other endpoint (None: `slow_items` is not written), server lines
SCENARIOS = [
    ("fast endpoint alone", None, []),
    ("fast + another fast endpoint, same load", "fast", []),
    ("fast + slow endpoint timing out, breaker on (5 failures, 30 s)", "slow", []),
    ("fast + slow endpoint timing out, breaker off", "slow", ["hook_breaker_failures: 1000000"]),
]


def config(directory, fast, slow, server_lines):
    collections = ["fast_items", "slow_items"]
    text = "server:\n  hook_concurrency: 16\n" + "".join(f"  {line}\n" for line in server_lines)
    text += f"database:\n  uri: {MONGO_URI}\n  name: pm_bench_hooks\nauth:\n  jwt:\n    secret: \"{SECRET}\"\n"
    text += "collections:\n" + "".join(
        f"  {c}:\n    fields:\n      name: {{ type: string, required: true }}\n" for c in collections)
    text += "policies:\n" + "".join(f"  {c}:\n    writer: {{ actions: [create, read] }}\n" for c in collections)
    text += f"hooks:\n  fast_items:\n    post_create:\n      - url: http://127.0.0.1:{fast.port}/fast\n"
    if slow:
        text += (f"  slow_items:\n    post_create:\n      - url: http://127.0.0.1:{slow.port}/slow\n"
                 f"        timeout_ms: {SLOW_TIMEOUT_MS}\n")
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, "gateway.yml"), "w") as f:
        f.write(text)


def writer(port, token, collection, seconds, rate, sent, lock):
    """Sends one-document creates on a fixed schedule, each from its own thread."""
    threads = []

    def one(k):
        started = time.monotonic()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        body = json.dumps({"documents": [{"name": f"{collection} {k}"}]})
        connection.request("POST", f"/{collection}/batch", body=body,
                           headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
        response = connection.getresponse()
        answer = json.loads(response.read())
        finished = time.monotonic()
        connection.close()
        for document_id in answer.get("created", []):
            with lock:
                sent[document_id] = (started, finished)

    begin = time.monotonic()
    k = 0
    while True:
        due = begin + k / rate
        if due - begin >= seconds:
            break
        time.sleep(max(0.0, due - time.monotonic()))
        thread = threading.Thread(target=one, args=(k,))
        thread.start()
        threads.append(thread)
        k += 1
    for thread in threads:
        thread.join()


def percentile(values, q):
    ordered = sorted(values)
    return ordered[int(q * (len(ordered) - 1))] if ordered else float("nan")


def run(name, other, server_lines, index):
    fast = Receiver(0)
    slow = Receiver(SLOW_SLEEP_S if other == "slow" else 0) if other else None
    with_slow = other is not None
    directory = os.path.join(WORK, f"hooks-config-{index}")
    config(directory, fast, slow, server_lines)
    port = free_port()
    env = dict(ENV, PM_LISTEN=f"127.0.0.1:{port}", PM_DATABASE=f"pm_bench_hooks_{index}_{int(time.time())}")
    log = open(os.path.join(WORK, f"hooks-gateway-{index}.log"), "w")
    gateway = subprocess.Popen([GATEWAY_BIN, "serve", "--config", directory], env=env, stdout=log, stderr=log)
    try:
        wait_port(port)
        token = subprocess.check_output(
            [GATEWAY_BIN, "token", "--config", directory, "--sub", "bench", "--tenant", "t", "--roles", "writer"],
            env=env, text=True).strip()
        sent, lock = {}, threading.Lock()
        writers = [threading.Thread(target=writer, args=(port, token, "fast_items", SECONDS, RATE, sent, lock))]
        if with_slow:
            ignored = {}
            writers.append(threading.Thread(
                target=writer, args=(port, token, "slow_items", SECONDS, RATE, ignored, threading.Lock())))
        for thread in writers:
            thread.start()
        for thread in writers:
            thread.join()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with fast.lock:
                if all(d in fast.arrivals for d in sent):
                    break
            time.sleep(0.1)
        with fast.lock:
            latencies = [(fast.arrivals[d] - s) * 1000 for d, (s, _) in sent.items() if d in fast.arrivals]
            missing = sum(1 for d in sent if d not in fast.arrivals)
        writes = [(f - s) * 1000 for s, f in sent.values()]
        result = {
            "scenario": name, "writes": len(sent), "delivered": len(latencies), "missing": missing,
            "p50_ms": round(percentile(latencies, 0.50), 1), "p99_ms": round(percentile(latencies, 0.99), 1),
            "max_ms": round(max(latencies), 1) if latencies else None,
            "write_p50_ms": round(percentile(writes, 0.50), 1),
            "other_calls": slow.calls if slow else 0,
        }
        print(f"hooks: {name}: {result}", flush=True)
        with open(os.path.join(WORK, "hooks.jsonl"), "a") as f:
            f.write(json.dumps(result) + "\n")
    finally:
        gateway.terminate()
        try:
            gateway.wait(timeout=40)
        except subprocess.TimeoutExpired:
            gateway.kill()
        log.close()
        fast.stop()
        if slow:
            slow.stop()


def main():
    for index, (name, other, server_lines) in enumerate(SCENARIOS):
        if ONLY and ONLY not in name:
            continue
        run(name, other, server_lines, index)


if __name__ == "__main__":
    sys.dont_write_bytecode = True
    main()
