-- wrk script: GET requests from a list, round robin, each thread starting at its own place.
--   wrk ... -s benches/http/sparql.lua URL -- PATHS_FILE MODE [ACCEPT_ENCODING]
-- PATHS_FILE: one request per line, "path<TAB>accept". MODE "repeat" sends the paths as they
-- are (a cache may answer); MODE "first" appends a unique SPARQL comment (%0A%23 ...) to each,
-- so every request is new to any cache and must be evaluated. ACCEPT_ENCODING, when given, is
-- sent as the Accept-Encoding header (none is sent otherwise).
-- Prints one RESULT line: requests/s, p50/p99 in ms, status classes, socket errors, MB/s.

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for line in io.lines(args[1]) do
    local path, accept = line:match("^([^\t]+)\t(.+)$")
    if path then table.insert(paths, {path, accept}) end
  end
  mode = args[2] or "repeat"
  encoding = args[3]
  i = (id * 7) % #paths
  n = 0
  counts = {["2"] = 0, ["3"] = 0, ["4"] = 0, ["5"] = 0}
end

function request()
  i = i % #paths + 1
  n = n + 1
  local path = paths[i][1]
  if mode == "first" then
    path = path .. "%0A%23%20t" .. id .. "n" .. n
  end
  local headers = {["Accept"] = paths[i][2]}
  if encoding and encoding ~= "" then
    headers["Accept-Encoding"] = encoding
  end
  return wrk.format("GET", path, headers)
end

function response(status, headers, body)
  local class = tostring(math.floor(status / 100))
  counts[class] = (counts[class] or 0) + 1
end

function done(summary, latency, requests)
  local c = {["2"] = 0, ["3"] = 0, ["4"] = 0, ["5"] = 0}
  for _, t in ipairs(threads) do
    local tc = t:get("counts")
    for k, v in pairs(tc) do c[k] = (c[k] or 0) + v end
  end
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT rps=%.1f p50_ms=%.2f p99_ms=%.2f mb_s=%.1f s2xx=%d s3xx=%d s4xx=%d s5xx=%d errors=%d\n",
    summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.bytes / seconds / 1e6, c["2"], c["3"], c["4"], c["5"],
    e.connect + e.read + e.write + e.timeout + e.status))
end
