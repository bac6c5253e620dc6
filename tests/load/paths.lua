-- wrk script for tests/load/run: cycles through the request targets of a file (one per line,
-- already percent-encoded), counts the answers by status class, and ends with one line
--   RESULT requests=N seconds=S rps=R p50_ms=.. p99_ms=.. max_ms=.. 2xx=.. 3xx=.. 4xx=.. 5xx=..
--          connect=.. read=.. write=.. timeout=..
-- that the runner reads. Usage: wrk [options] -s paths.lua http://127.0.0.1:PORT -- FILE
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local requests = {}
  for line in io.lines(args[1]) do
    if line ~= "" then
      requests[#requests + 1] = wrk.format("GET", line)
    end
  end
  prepared = requests
  at = 0
  s2, s3, s4, s5 = 0, 0, 0, 0
end

function request()
  at = at % #prepared + 1
  return prepared[at]
end

function response(status, headers, body)
  if status < 300 then
    s2 = s2 + 1
  elseif status < 400 then
    s3 = s3 + 1
  elseif status < 500 then
    s4 = s4 + 1
  else
    s5 = s5 + 1
  end
end

function done(summary, latency, requests)
  local c2, c3, c4, c5 = 0, 0, 0, 0
  for _, t in ipairs(threads) do
    c2 = c2 + t:get("s2")
    c3 = c3 + t:get("s3")
    c4 = c4 + t:get("s4")
    c5 = c5 + t:get("s5")
  end
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d seconds=%.1f rps=%.0f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f 2xx=%d 3xx=%d 4xx=%d 5xx=%d connect=%d read=%d write=%d timeout=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    c2, c3, c4, c5, e.connect, e.read, e.write, e.timeout))
end
