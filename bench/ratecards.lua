-- wrk script: POST /v1/rates asking only the tenant's rate cards (no carrier is called).
-- Requests rotate over lanes of every zone, parcels on both sides of slab boundaries,
-- with and without dimensions, prepaid and COD, so the run is not one cached answer.
-- Usage: wrk -s bench/ratecards.lua URL -- API_KEY
dofile("bench/report.lua")

local lanes = {
  {"560001", "560095"}, -- within city
  {"560001", "570001"}, -- within state
  {"110020", "560001"}, -- metro to metro
  {"110020", "302001"}, -- rest of India
  {"110020", "781001"}, -- special
  {"400001", "400053"}, -- within city across Mumbai's districts
  {"600001", "700001"}, -- metro to metro
  {"411001", "226001"}, -- rest of India
}
local parcels = {
  '{"weight_g": 500}',
  '{"weight_g": 501}',
  '{"weight_g": 1200, "length_mm": 300, "width_mm": 250, "height_mm": 200}',
  '{"weight_g": 300, "length_mm": 400, "width_mm": 300, "height_mm": 200}',
}
local payments = {
  '{"mode": "prepaid"}',
  '{"mode": "cod", "cod_amount": {"amount": 149900, "currency": "INR"}}',
}

local function address(pin)
  return '{"name": "Asha Rao", "phone": "9876543210", "line1": "12 MG Road", "city": "X", "postal_code": "' .. pin .. '"}'
end

local bodies = {}
for _, lane in ipairs(lanes) do
  for _, parcel in ipairs(parcels) do
    for _, payment in ipairs(payments) do
      table.insert(bodies, '{"carriers": ["ratecard"], "from": ' .. address(lane[1]) ..
        ', "to": ' .. address(lane[2]) .. ', "parcels": [' .. parcel .. '], "payment": ' .. payment .. '}')
    end
  end
end

local n = 0
function init(args)
  wrk.method = "POST"
  wrk.headers["Authorization"] = "Bearer " .. args[1]
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  n = n + 1
  return wrk.format(nil, "/v1/rates", nil, bodies[(n % #bodies) + 1])
end

function response(status, headers, body)
  if status ~= 200 then
    io.stderr:write("status " .. status .. ": " .. body .. "\n")
  end
end
