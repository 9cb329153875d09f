-- wrk script for bench/scaleout: keyed POST /v1/shipments where part of the order
-- references and Idempotency-Keys are also sent to another gateway process, so that a
-- failure of cross-process idempotency (Redis) or of the order reference's uniqueness
-- (PostgreSQL) would show as a second shipment or a second booking.
--
-- One wrk per gateway process, all with the same thread count. Thread t of process p
-- numbers its requests c = 1, 2, …; most book their own reference S<run>-p<p>-t<t>-<c>,
-- and every fourth repeats the reference its neighbour process (p-1, wrapping) books at
-- the same moment, c-1:
--   c % 8 == 3  with the same Idempotency-Key (answered by the idempotency layer: a
--               replay, or 409 while the first is still running)
--   c % 8 == 7  with another key (answered by the order's uniqueness: 200 with the
--               shipment, or 409 while it is being booked)
-- With one process the neighbour is the process itself.
-- Usage: wrk -s bench/create_shared.lua URL -- API_KEY BODY_FILE RUN PROCESS PROCESSES
dofile("bench/report.lua")

function init(args)
  api_key = args[1]
  local f = assert(io.open(args[2], "r"))
  template = f:read("*a")
  f:close()
  run = args[3]
  local process = tonumber(args[4])
  local processes = tonumber(args[5])
  me = process
  neighbour = (process - 1 + processes) % processes
  counter = 0
  created, replayed, existing, conflict, failures = 0, 0, 0, 0, 0
end

local function ref(p, c)
  return string.format("S%s-p%d-t%d-%d", run, p, tid, c)
end

function request()
  counter = counter + 1
  local order, key
  if counter % 8 == 3 then
    order = ref(neighbour, counter - 1)
    key = order
  elseif counter % 8 == 7 then
    order = ref(neighbour, counter - 1)
    key = order .. "-again"
  else
    order = ref(me, counter)
    key = order
  end
  local headers = {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. api_key,
    ["Idempotency-Key"] = key,
  }
  local body = template:gsub("__REF__", order)
  return wrk.format("POST", "/v1/shipments", headers, body)
end

function response(status, headers, body)
  if status == 201 then
    if headers["idempotent-replayed"] or headers["Idempotent-Replayed"] then
      replayed = replayed + 1
    else
      created = created + 1
    end
  elseif status == 200 then
    existing = existing + 1
  elseif status == 409 then
    conflict = conflict + 1
  else
    wrong(status, body)
  end
end

function done(summary, latency, requests)
  local sum = { created = 0, replayed = 0, existing = 0, conflict = 0, failed = 0 }
  for _, t in ipairs(threads) do
    sum.created = sum.created + t:get("created")
    sum.replayed = sum.replayed + t:get("replayed")
    sum.existing = sum.existing + t:get("existing")
    sum.conflict = sum.conflict + t:get("conflict")
    sum.failed = sum.failed + t:get("failures")
  end
  io.write(string.format(
    'ANSWERS {"created":%d,"replayed":%d,"existing":%d,"conflict":%d,"failed":%d}\n',
    sum.created, sum.replayed, sum.existing, sum.conflict, sum.failed))
  for _, t in ipairs(threads) do
    local o = t:get("odd")
    if o then io.write(o) end
  end
  report(summary, latency, sum.failed)
end
