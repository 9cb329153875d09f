-- wrk script: carrier tracking pushes, each with new scans, for shipments booked before
-- the run. Every thread pushes for its own share of the AWBs with its own clock, so the
-- scans of one shipment arrive in event-time order, as carriers mostly send them.
-- Usage: wrk -tTHREADS -s bench/webhooks.lua URL -- delhivery|shiprocket AWB_FILE SCANS_PER_PUSH THREADS RUN
--   RUN: a small number, different for each wrk run against one database, so that no
--   run repeats another's scans (which the gateway would rightly absorb as duplicates)
--   delhivery:  Delhivery's scan push, one scan per push
--   shiprocket: Shiprocket's push, SCANS_PER_PUSH new scans per push
dofile("bench/report.lua")

function init(args)
  carrier = args[1]
  scans_per_push = tonumber(args[3] or "5")
  local nthreads = tonumber(args[4] or "2")
  local run = tonumber(args[5] or "0")
  local all = {}
  for line in io.lines(args[2]) do
    if line ~= "" then table.insert(all, line) end
  end
  -- This thread's AWBs: every nth of the list.
  awbs = {}
  for i, awb in ipairs(all) do
    if (i - 1) % nthreads == tid % nthreads then table.insert(awbs, awb) end
  end
  if #awbs == 0 then awbs = all end
  counter = 0
  failures = 0
  -- A clock per thread and run, far apart from the others', so scans never collide.
  clock = 1500000000 + tid * 100000000 + run * 10000000
  path = "/v1/carriers/" .. carrier .. "/webhooks"
  headers = { ["Content-Type"] = "application/json" }
end

local function ist(t)
  return os.date("!%Y-%m-%d %H:%M:%S", t)
end

function request()
  counter = counter + 1
  local awb = awbs[(counter - 1) % #awbs + 1]
  local body
  if carrier == "delhivery" then
    clock = clock + 1
    body = string.format(
      '{"Shipment":{"Status":{"Status":"In Transit","StatusDateTime":"%s","StatusType":"UD",' ..
      '"StatusLocation":"Bhiwandi_Mega_GW (Maharashtra)","Instructions":"Bag Received at Facility"},' ..
      '"NSLCode":"X-ILL1F","Sortcode":"BOM/BHW","ReferenceNo":"bench","AWB":"%s"}}',
      ist(clock), awb)
  else
    local scans = {}
    for i = 1, scans_per_push do
      clock = clock + 1
      scans[i] = string.format(
        '{"date":"%s","status":"X-ILL1F","activity":"In Transit - Bag Received at Facility",' ..
        '"location":"Bhiwandi_Mega_GW (Maharashtra)","sr-status":"18","sr-status-label":"IN TRANSIT"}',
        ist(clock))
    end
    body = string.format(
      '{"awb":"%s","courier_name":"Delhivery Surface","current_status":"IN TRANSIT",' ..
      '"current_status_id":20,"shipment_status":"IN TRANSIT","shipment_status_id":18,' ..
      '"current_timestamp":"23 05 2023 11:43:52","order_id":"bench","sr_order_id":1,' ..
      '"scans":[%s],"is_return":0}',
      awb, table.concat(scans, ","))
  end
  return wrk.format("POST", path, headers, body)
end

function response(status, headers, body)
  if status ~= 200 then
    failures = failures + 1
  end
end

function done(summary, latency, requests)
  local failed = 0
  for _, t in ipairs(threads) do
    failed = failed + t:get("failures")
  end
  io.write(string.format("non-200 responses: %d\n", failed))
  report(summary, latency, failed)
end
