-- wrk script: console pages as a signed-in browser asks for them (HTML, session cookie).
-- TOKEN is the session cookie's value; PATHS a file with one path per line, taken at random
-- (seeded, so every run asks for the same pages in the same order per thread).
math.randomseed(20261204)
local cookie = "vigil_session=" .. os.getenv("TOKEN")
local paths = {}
for line in io.lines(os.getenv("PATHS")) do paths[#paths + 1] = line end

request = function()
    return wrk.format("GET", paths[math.random(#paths)], { ["Cookie"] = cookie, ["Accept"] = "text/html", ["Accept-Language"] = "pt-BR" })
end
