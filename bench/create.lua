-- wrk script: POST /v1/shipments with a unique order reference per request and, when
-- the first script argument is "keyed", a unique Idempotency-Key too.
-- Usage: wrk -s bench/create.lua URL -- keyed|plain API_KEY BODY_FILE
dofile("bench/report.lua")

function init(args)
  keyed = args[1] == "keyed"
  api_key = args[2]
  local f = assert(io.open(args[3], "r"))
  template = f:read("*a")
  f:close()
  run = tostring(os.time())
  counter = 0
  failures = 0
end

function request()
  counter = counter + 1
  local ref = string.format("B%s-%d-%d", run, tid, counter)
  local body = template:gsub("__REF__", ref)
  local headers = {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. api_key,
  }
  if keyed then
    headers["Idempotency-Key"] = ref
  end
  return wrk.format("POST", "/v1/shipments", headers, body)
end

function response(status, headers, body)
  if status ~= 201 then
    wrong(status, body)
  end
end

function done(summary, latency, requests)
  local failed = 0
  for _, t in ipairs(threads) do
    failed = failed + t:get("failures")
  end
  io.write(string.format("non-201 responses: %d\n", failed))
  for _, t in ipairs(threads) do
    local o = t:get("odd")
    if o then io.write(o) end
  end
  report(summary, latency, failed)
end
