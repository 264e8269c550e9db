-- wrk script: the case list as analysts filter it, 50 per page, over a database of 1,000,000 cases.
math.randomseed(20261125)
local token = os.getenv("TOKEN")
local filters = {
    "region=BR-SP&severity=S1", "region=BR-SP&severity=S2", "region=BR-SP&status=new", "region=BR-SP&status=in-progress",
    "region=BR-RJ&severity=S3", "region=BR-SP", "region=MX-CMX&status=waiting", "region=BR-SP&severity=S4",
}

request = function()
    local path = "/api/incident-ops/cases?limit=50&" .. filters[math.random(#filters)]
    return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. token })
end
