-- wrk script of bench/edge/run.sh: each request takes the next of the
-- space-separated paths in $WRK_PATHS, round robin (each wrk thread keeps
-- its own turn).
local paths = {}
for p in string.gmatch(os.getenv("WRK_PATHS") or "/", "%S+") do
  paths[#paths + 1] = p
end
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format(nil, paths[i])
end
