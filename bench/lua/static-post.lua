-- One fixed POST, the first of decisions.lua's bodies, with no Lua call per request (wrk sends its
-- static request): the floor of a POST's cost to the client, for bench/client-cost.sh.
package.path = os.getenv("BENCH_LUA") .. "/?.lua;" .. package.path
local report = require("report")
wrk.method = "POST"
wrk.path = "/v1/networks/1/decisions"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"event":"connect","peer_id":42,"port":22,"peer_tags":["ops","eu-west"]}'
setup = report.setup
done = report.done
