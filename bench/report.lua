-- Shared by the wrk scripts: one machine-readable line with wrk's summary, for bench/run.
-- Latencies in microseconds. `http_errors` are wrk's own count of answers >= 400; `failed`
-- counts every answer the script judged wrong (HTTP errors included, and also a partial
-- rate answer, a 202 instead of a 201…), so bench/run takes the larger of the two.
function report(summary, latency, failed)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests":%d,"duration_us":%d,"http_errors":%d,"socket_errors":%d,"failed":%d,' ..
    '"p50_us":%d,"p99_us":%d,"p999_us":%d,"max_us":%d}\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    failed or 0, latency:percentile(50), latency:percentile(99), latency:percentile(99.9),
    latency.max))
end

-- A script with nothing else to do (GET /healthz) uses this directly.
function done(summary, latency, requests)
  report(summary, latency, 0)
end

-- Every thread, numbered from 0 in `tid`: scripts split their work by it in `init` and sum
-- the threads' counters in `done`.
threads = {}

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

-- Counts a wrong answer in `failures` and keeps the first few in `odd`, to say what they
-- were (wrk only counts them).
function wrong(status, body)
  failures = failures + 1
  if failures <= 5 then
    odd = (odd or "") .. status .. ": " .. body:sub(1, 160) .. "\n"
  end
end
