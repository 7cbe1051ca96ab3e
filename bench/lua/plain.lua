-- The request given on the command line (a GET), unchanged; only reports.
package.path = os.getenv("BENCH_LUA") .. "/?.lua;" .. package.path
local report = require("report")

setup = report.setup
done = report.done
