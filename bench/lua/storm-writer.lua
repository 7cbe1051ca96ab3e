-- Reload under fire, the writer side (run with one connection): over networks
-- $BENCH_FIRST_NETWORK .. +$BENCH_NETWORKS-1, forever in this order: PUT the allow policy
-- everywhere, reload each network, PUT the deny policy everywhere, reload each network,
-- then one POST /v1/reload?force=true. Counts completed swaps and any non-2xx answer.
package.path = os.getenv("BENCH_LUA") .. "/?.lua;" .. package.path
local report = require("report")

report.counter("swaps")
report.counter("writer_failures")

local requests = {}
swaps, writer_failures = 0, 0

function init(args)
   local first = tonumber(os.getenv("BENCH_FIRST_NETWORK") or "201")
   local count = tonumber(os.getenv("BENCH_NETWORKS") or "20")
   local headers = { ["Content-Type"] = "application/json" }
   for _, doc in ipairs({ report.slurp(os.getenv("BENCH_POLICY_A")), report.slurp(os.getenv("BENCH_POLICY_B")) }) do
      for id = first, first + count - 1 do
         table.insert(requests, wrk.format("PUT", "/v1/networks/" .. id .. "/policy", headers, doc))
      end
      for id = first, first + count - 1 do
         table.insert(requests, wrk.format("POST", "/v1/networks/" .. id .. "/reload"))
      end
   end
   table.insert(requests, wrk.format("POST", "/v1/reload?force=true"))
end

request = report.cycle(requests, false)

function response(status, headers, body)
   if status < 200 or status > 299 then
      writer_failures = writer_failures + 1
      return
   end
   local _, swapped = string.gsub(body, '"action":"swapped"', "")
   if swapped > 0 then
      swaps = swaps + swapped
   else
      swaps = swaps + 1
   end
end

setup = report.setup
done = report.done
