-- wrk script of scripts/lb-test.sh: POSTs decisions for network 1 and prints one line,
--   RESULT requests=<n> non2xx=<n> socket_errors=<n> connect=<n> read=<n> write=<n> timeout=<n>
local bodies = {
   '{"event":"connect","peer_id":42,"port":22,"peer_tags":["ops"]}',
   '{"event":"connect","peer_id":43,"port":80}',
   '{"event":"dial","peer_id":44,"port":53}',
}
local requests = {}
local i = 0

function init(args)
   for n, body in ipairs(bodies) do
      requests[n] = wrk.format("POST", "/v1/networks/1/decisions", { ["Content-Type"] = "application/json" }, body)
   end
end

function request()
   i = i % #requests + 1
   return requests[i]
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      "RESULT requests=%d non2xx=%d socket_errors=%d connect=%d read=%d write=%d timeout=%d\n",
      summary.requests, e.status, e.connect + e.read + e.write + e.timeout, e.connect, e.read, e.write, e.timeout))
end
