-- Reload under fire, the decision side: POST decisions round-robin over networks
-- $BENCH_FIRST_NETWORK .. +$BENCH_NETWORKS-1 and check every answer. The writer alternates
-- bench/policies/storm-allow.json (rule "a" allows) and storm-deny.json (rule "d" denies),
-- so every 200 must be one of those two verdicts.
package.path = os.getenv("BENCH_LUA") .. "/?.lua;" .. package.path
local report = require("report")

report.counter("ok")
report.counter("no_runner")
report.counter("bad_status")
report.counter("wrong_verdict")

local requests = {}
ok, no_runner, bad_status, wrong_verdict = 0, 0, 0, 0

function init(args)
   local first = tonumber(os.getenv("BENCH_FIRST_NETWORK") or "201")
   local count = tonumber(os.getenv("BENCH_NETWORKS") or "20")
   local headers = { ["Content-Type"] = "application/json" }
   for id = first, first + count - 1 do
      local body = string.format('{"event":"connect","peer_id":%d,"port":443,"peer_tags":["web","eu-west"]}', 1000 + id)
      table.insert(requests, wrk.format("POST", "/v1/networks/" .. id .. "/decisions", headers, body))
   end
end

request = report.cycle(requests, true)

function response(status, headers, body)
   if status == 200 then
      if string.find(body, '"verdict":"allow","rule":"a"', 1, true)
         or string.find(body, '"verdict":"deny","rule":"d"', 1, true) then
         ok = ok + 1
      else
         wrong_verdict = wrong_verdict + 1
      end
   elseif status == 404 then
      no_runner = no_runner + 1
   else
      bad_status = bad_status + 1
   end
end

setup = report.setup
done = report.done
