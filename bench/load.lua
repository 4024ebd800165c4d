-- wrk script for bench/run.py: signed-in users opening the benchmark's pages.
--
--   BENCH_WRK_RESULT=out.json wrk -t2 -c50 -d20s --timeout 30s -s bench/load.lua \
--     http://127.0.0.1:PORT -- REQUESTS
--
-- REQUESTS is a file of lines "path<TAB>Cookie header", one per simulated user (each
-- with their own session); every request goes to the next line, so the mix is the
-- file's. Every request carries X-Forwarded-Proto: https, as from the load balancer
-- (production settings redirect plain HTTP). Anything but a 200 is an error: a 302
-- would be the sign-in page. The file named by BENCH_WRK_RESULT receives one JSON
-- object (done() runs in wrk's main Lua state, which init()'s arguments never reach).

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  local requests_file = args[1]
  lines = {}
  for line in io.lines(requests_file) do
    local path, cookie = line:match("^([^\t]+)\t(.*)$")
    if path then
      table.insert(lines, wrk.format("GET", path, {
        ["Host"] = "127.0.0.1",
        ["X-Forwarded-Proto"] = "https",
        ["Cookie"] = cookie,
      }))
    end
  end
  -- Threads start at different places in the list.
  counter = id * 7
  ok = 0
  not_ok = 0
  statuses = ""
end

function request()
  counter = counter + 1
  return lines[(counter % #lines) + 1]
end

function response(status, headers, body)
  if status == 200 then
    ok = ok + 1
  else
    not_ok = not_ok + 1
    if #statuses < 200 then
      statuses = statuses .. status .. " "
    end
  end
end

function done(summary, latency, requests)
  local ok_total, not_ok_total, seen = 0, 0, ""
  for _, thread in ipairs(threads) do
    ok_total = ok_total + thread:get("ok")
    not_ok_total = not_ok_total + thread:get("not_ok")
    seen = seen .. thread:get("statuses")
  end
  local e = summary.errors
  local out = string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, "status_200": %d, "status_other": %d, '
      .. '"statuses_seen": "%s", "errors": {"connect": %d, "read": %d, "write": %d, '
      .. '"status": %d, "timeout": %d}, "latency_us": {"mean": %.0f, "p50": %d, "p95": %d, '
      .. '"p99": %d, "max": %d}}',
    summary.requests, summary.duration, summary.bytes, ok_total, not_ok_total, seen,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max)
  local f = io.open(os.getenv("BENCH_WRK_RESULT"), "w")
  f:write(out)
  f:close()
end
