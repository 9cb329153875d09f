-- wrk script: POST /v1/rates with one body, counting non-200 answers, rate-cache hits and
-- answers carrying carrier errors (a partial answer is a bench failure: the simulators
-- should all quote).
-- Usage: wrk -s bench/rates.lua URL -- API_KEY BODY_FILE
dofile("bench/report.lua")

function init(args)
  api_key = args[1]
  local f = assert(io.open(args[2], "r"))
  body = f:read("*a")
  f:close()
  failures = 0
  hits = 0
  partial = 0
end

function request()
  return wrk.format("POST", "/v1/rates", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. api_key,
  }, body)
end

function response(status, headers, resp)
  if status ~= 200 then
    failures = failures + 1
    keep(status, resp)
    return
  end
  local cache = headers["cache-status"] or headers["Cache-Status"] or ""
  if cache:find("hit", 1, true) then
    hits = hits + 1
  end
  if not resp:find('"errors":[]', 1, true) then
    partial = partial + 1
    keep(status, resp:match('"errors":%[.*') or resp)
  end
end

-- The first few odd answers, to say what they were (wrk only counts them).
function keep(status, text)
  kept = (kept or 0) + 1
  if kept <= 5 then
    odd = (odd or "") .. status .. ": " .. text:sub(1, 200) .. "\n"
  end
end

function done(summary, latency, requests)
  local failed, hit, part = 0, 0, 0
  for _, t in ipairs(threads) do
    failed = failed + t:get("failures")
    hit = hit + t:get("hits")
    part = part + t:get("partial")
  end
  io.write(string.format("non-200 responses: %d\ncache hits: %d\nanswers with carrier errors: %d\n", failed, hit, part))
  for _, t in ipairs(threads) do
    local o = t:get("odd")
    if o then io.write(o) end
  end
  report(summary, latency, failed + part)
end
