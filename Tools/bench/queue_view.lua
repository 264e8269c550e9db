-- wrk script: queue views (a queue's open cases, soonest SLA due first, 50 per page), as analysts
-- refresh them, over a database of 1,000,000 cases. QUEUES is a comma-separated list of queue ids.
math.randomseed(20261125)
local token = os.getenv("TOKEN")
local queues = {}
for id in string.gmatch(os.getenv("QUEUES"), "[^,]+") do queues[#queues + 1] = id end

request = function()
    local path = "/api/incident-ops/queues/" .. queues[math.random(#queues)] .. "/cases?limit=50"
    return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. token })
end
