-- Shared by every wrk script of the suite: one machine-readable line per run, and the two
-- helpers the request scripts have in common (reading a file, cycling through requests).
--
--   RESULT <label> rps=<requests/s> p50_us=<..> p99_us=<..> requests=<n> non2xx=<n> socket_errors=<n> [extra...]
--
-- Scripts that count things per thread register them with report.counter(name); the
-- totals over every thread are appended as name=value.
local report = {}

local threads = {}
local counters = {}

function report.counter(name)
   table.insert(counters, name)
end

function report.setup(thread)
   table.insert(threads, thread)
end

function report.done(summary, latency, requests)
   local seconds = summary.duration / 1e6
   local e = summary.errors
   local line = string.format(
      "RESULT %s rps=%.1f p50_us=%d p99_us=%d max_us=%d requests=%d non2xx=%d socket_errors=%d",
      os.getenv("BENCH_LABEL") or "run",
      summary.requests / seconds,
      latency:percentile(50), latency:percentile(99), latency.max,
      summary.requests, e.status, e.connect + e.read + e.write + e.timeout)
   for _, name in ipairs(counters) do
      local total = 0
      for _, t in ipairs(threads) do total = total + (t:get(name) or 0) end
      line = line .. string.format(" %s=%d", name, total)
   end
   io.write(line .. "\n")
end

-- A whole file (policy documents).
function report.slurp(path)
   local f = assert(io.open(path, "rb"))
   local s = f:read("*a")
   f:close()
   return s
end

-- A wrk request() cycling through `requests` (filled in init()) in order; from a random place
-- when `random_start`, so that threads do not all send the same request at once.
function report.cycle(requests, random_start)
   local i
   return function()
      if i == nil then i = random_start and math.random(#requests) or 0 end
      i = i % #requests + 1
      return requests[i]
   end
end

return report
