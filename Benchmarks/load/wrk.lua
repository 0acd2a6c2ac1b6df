-- wrk script for scripts/bench (issue 6). Env: BENCH_METHOD, BENCH_PATH, BENCH_TOKEN,
-- BENCH_BODIES (a file with one JSON body per line; each connection cycles through them).
-- Counts non-2xx answers and 2xx answers whose "failed" list is not empty, and prints
-- one line of key=value figures at the end.
local method = os.getenv("BENCH_METHOD") or "POST"
local path = os.getenv("BENCH_PATH")
local token = os.getenv("BENCH_TOKEN")
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  bodies = {}
  for line in io.lines(os.getenv("BENCH_BODIES")) do
    bodies[#bodies + 1] = wrk.format(method, path, {
      ["Authorization"] = "Bearer " .. token,
      ["Content-Type"] = "application/json",
    }, line)
  end
  counter = math.random(#bodies)
  partial = 0
  bad = 0
end

function request()
  counter = counter % #bodies + 1
  return bodies[counter]
end

function response(status, headers, body)
  if status >= 300 then
    bad = bad + 1
    if bad <= 2 then io.stderr:write("wrk: status " .. status .. ": " .. string.sub(body, 1, 300) .. "\n") end
  elseif not string.find(body, '"failed":[]', 1, true) then
    partial = partial + 1
    if partial <= 2 then io.stderr:write("wrk: failures: " .. string.sub(body, 1, 300) .. "\n") end
  end
end

function done(summary, latency, requests)
  local partial_total, bad_total = 0, 0
  for _, thread in ipairs(threads) do
    partial_total = partial_total + thread:get("partial")
    bad_total = bad_total + thread:get("bad")
  end
  io.write(string.format(
    "RESULT requests=%d duration_us=%d bad=%d partial=%d p50_us=%d p99_us=%d max_us=%d timeouts=%d\n",
    summary.requests, summary.duration, bad_total, partial_total,
    latency:percentile(50), latency:percentile(99), latency.max, summary.errors.timeout))
end
