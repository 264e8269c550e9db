-- wrk script: the asset list as IT staff filter it (a site and a status), 50 per page, over a
-- database of 1,000,000 assets.
math.randomseed(20261125)
local token = os.getenv("TOKEN")
local sites = { "SP-HQ", "SP-PINHEIROS", "SP-CAMPINAS", "RJ-CENTRO", "BH-SAVASSI", "POA-MOINHOS", "REC-BOAVIAGEM", "CWB-BATEL", "CMX-REFORMA", "BOG-CHICO" }
local statuses = { "deployed", "deployed", "deployed", "in-stock", "in-repair", "retired" }

request = function()
    local path = "/api/it-service-desk/assets?limit=50&site=" .. sites[math.random(#sites)] .. "&status=" .. statuses[math.random(#statuses)]
    return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. token })
end
