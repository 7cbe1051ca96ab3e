-- PUT /v1/networks/{id}/policy alternating two documents ($BENCH_POLICY_A, $BENCH_POLICY_B)
-- over networks $BENCH_FIRST_NETWORK .. +$BENCH_NETWORKS-1: every answer is a durable swap.
package.path = os.getenv("BENCH_LUA") .. "/?.lua;" .. package.path
local report = require("report")

local requests = {}

function init(args)
   local first = tonumber(os.getenv("BENCH_FIRST_NETWORK") or "101")
   local count = tonumber(os.getenv("BENCH_NETWORKS") or "16")
   local docs = { report.slurp(os.getenv("BENCH_POLICY_A")), report.slurp(os.getenv("BENCH_POLICY_B")) }
   local headers = { ["Content-Type"] = "application/json" }
   -- Every network gets A then B, so consecutive PUTs of one network always change it.
   for round = 1, 2 do
      for id = first, first + count - 1 do
         table.insert(requests, wrk.format("PUT", "/v1/networks/" .. id .. "/policy", headers, docs[round]))
      end
   end
end

request = report.cycle(requests, true)

setup = report.setup
done = report.done
