-- A request mix for wrk: stored queries, documents (Turtle and HTML), dumps, SPARQL.
-- Each thread walks the list in its own order. Responses are tallied by status class, so the
-- run can tell a 5xx from a 4xx (wrk itself only counts "non-2xx or 3xx").

local paths = {
  {"/queries/networks-of-a-city?format=csv", "text/csv"},
  {"/queries/gai-members-by-region?format=json", "application/sparql-results+json"},
  {"/queries/stated-vs-listed", "text/csv"},
  {"/doc/place/turin.ttl", "text/turtle"},
  {"/doc/network/uccn.html", "text/html"},
  {"/doc/network/gai.jsonld", "application/ld+json"},
  {"/doc/place/rome", "text/turtle"},
  {"/dumps/reti.nt", "application/n-triples"},
  {"/sparql?query=SELECT%20(COUNT(*)%20AS%20%3Fn)%20WHERE%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D", "text/csv"},
  {"/sparql?query=SELECT%20%3Fm%20WHERE%20%7B%20%3Fx%20%3Chttp%3A%2F%2Fwww.w3.org%2Fns%2Forg%23member%3E%20%3Fm%20%7D%20LIMIT%2010", "application/sparql-results+json"},
  {"/id/place/bologna", "text/turtle"},
  {"/catalog", "text/turtle"},
  {"/", "text/html"},
}

local threads = {}
local i = 0

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  i = id
  counts = {["2"] = 0, ["3"] = 0, ["4"] = 0, ["5"] = 0}
end

function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i][1], {["Accept"] = paths[i][2]})
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
  local errors = summary.errors
  io.write(string.format(
    "RESULT requests=%d seconds=%.2f rps=%.1f p50_ms=%.2f p99_ms=%.2f s2xx=%d s3xx=%d s4xx=%d s5xx=%d socket_errors=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    c["2"], c["3"], c["4"], c["5"],
    errors.connect + errors.read + errors.write + errors.timeout))
end
