-- wrk: POST journeys. The file named after the URL (wrk ... URL -- FILE, run from the repository
-- root) has one line per POST: path, Cookie header (session + CSRF cookie), form body, tab-separated;
-- each request takes the next line, round the file. The CSRF token is made per session beforehand
-- (benchmarks/load/run.py), as a browser holds it after its first page.
dofile("benchmarks/load/report.lua")

local targets = {}
local next_one = 0

init = function(args)
  for line in io.lines(args[1]) do
    local path, cookie, body = line:match("^([^\t]*)\t([^\t]*)\t(.*)$")
    if path then
      targets[#targets + 1] = { path, cookie, body }
    end
  end
  assert(#targets > 0, "post.lua: no targets in " .. tostring(args[1]))
end

request = function()
  next_one = next_one % #targets + 1
  local t = targets[next_one]
  return wrk.format("POST", t[1], {
    ["Cookie"] = t[2],
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, t[3])
end
