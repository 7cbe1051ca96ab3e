-- POST /v1/networks/$BENCH_NETWORK/decisions, rotating requests that hit different rules
-- of bench/policies/realistic-10.json (allow and deny verdicts, tags in the request).
package.path = os.getenv("BENCH_LUA") .. "/?.lua;" .. package.path
local report = require("report")

local bodies = {
   '{"event":"connect","peer_id":42,"port":22,"peer_tags":["ops","eu-west"]}',                 -- allow ops-ssh
   '{"event":"connect","peer_id":43,"port":443,"peer_tags":["web","eu-west"]}',                -- allow web
   '{"event":"connect","peer_id":44,"port":22,"peer_tags":["dev"]}',                           -- deny no-ssh
   '{"event":"connect","peer_id":45,"port":5432,"peer_tags":["app","db-client"]}',             -- allow db-from-app
   '{"event":"connect","peer_id":46,"port":60000,"peer_tags":["dev","eu-west"]}',              -- deny high-ports
   '{"event":"connect","peer_id":47,"port":9100,"peer_tags":["monitoring"]}',                  -- allow metrics
   '{"event":"dial","peer_id":48,"port":53,"local_tags":["edge"]}',                            -- allow dial-dns
   '{"event":"datagram","peer_id":49,"size":1500,"direction":"in","sender_rating":0.7,"peer_tags":["web"]}', -- deny jumbo
   '{"event":"connect","peer_id":50,"port":25,"peer_tags":["mail"]}',                          -- deny _default
   '{"event":"connect","peer_id":51,"port":7000,"peer_tags":["banned","ops"]}',                -- deny block-banned
}

local requests = {}

function init(args)
   local path = "/v1/networks/" .. (os.getenv("BENCH_NETWORK") or "1") .. "/decisions"
   local headers = { ["Content-Type"] = "application/json" }
   for n, body in ipairs(bodies) do
      requests[n] = wrk.format("POST", path, headers, body)
   end
end

request = report.cycle(requests, true)

setup = report.setup
done = report.done
