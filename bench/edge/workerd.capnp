# workerd configuration of the edge benchmark (bench/edge/run.sh), a
# template: run.sh writes one per workload with @SCRIPT@ replaced by the
# workload's worker script (service-worker syntax, the same as swhost runs
# but for the cache workload; workloads.Script) and @UPSTREAM@ by the
# loopback upstream of app.test, where the worker's fetch() goes
# (globalOutbound). run.sh picks the port with --socket-addr http=ADDR.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .bench),
    (name = "upstream", external = (address = "@UPSTREAM@", http = ())),
  ],
  sockets = [ (name = "http", address = "127.0.0.1:8787", http = (), service = "main") ],
);

const bench :Workerd.Worker = (
  serviceWorkerScript = embed "@SCRIPT@",
  compatibilityDate = "2024-09-23",
  globalOutbound = "upstream",
);
