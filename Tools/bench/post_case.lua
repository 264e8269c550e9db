-- wrk script: case intake. Each request a different, valid case; fixed seed for reproducibility.
-- Authorization comes from the TOKEN environment variable.
math.randomseed(20261125)
local token = os.getenv("TOKEN")
local lines = { "drivers", "clients", "business-units" }
local categories = { "traffic-accident", "assault", "robbery", "harassment", "medical-emergency", "threat", "fraud", "lost-item", "property-damage" }
local severities = { "S1", "S2", "S3", "S4" }
local regions = { "BR-SP", "BR-SP", "BR-SP", "BR-RJ" }
local counter = 0

request = function()
    counter = counter + 1
    local body = string.format(
        '{"region":"%s","businessLine":"%s","category":"%s","severity":"%s","description":"Bench case %d: rider reported an incident near a delivery address","location":{"address":"Av. Paulista %d","latitude":-23.56,"longitude":-46.65}}',
        regions[math.random(#regions)], lines[math.random(#lines)], categories[math.random(#categories)], severities[math.random(#severities)], counter, math.random(3000))
    return wrk.format("POST", "/api/incident-ops/cases", { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }, body)
end
