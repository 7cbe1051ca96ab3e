-- Shared by every wrk script of the suite: one machine-readable line per run.
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

return report
