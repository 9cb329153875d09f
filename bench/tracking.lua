-- wrk script: GET /v1/tracking/{awb} over AWBs booked before the run (an operations
-- lookup: the shipment, its status and its timeline, from the store).
-- Usage: wrk -s bench/tracking.lua URL -- API_KEY AWB_FILE
dofile("bench/report.lua")

function init(args)
  api_key = args[1]
  awbs = {}
  for line in io.lines(args[2]) do
    if line ~= "" then table.insert(awbs, line) end
  end
  counter = tid
end

function request()
  counter = counter + 7
  local awb = awbs[counter % #awbs + 1]
  return wrk.format("GET", "/v1/tracking/" .. awb, { ["Authorization"] = "Bearer " .. api_key })
end
