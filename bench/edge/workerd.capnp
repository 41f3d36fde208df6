# workerd configuration for the edge benchmark (bench/edge/run.sh): one
# worker in service-worker syntax, the same worker.js swhost runs, on a
# loopback socket. run.sh picks the port with --socket-addr http=ADDR.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [ (name = "main", worker = .hello) ],
  sockets = [ (name = "http", address = "127.0.0.1:8787", http = (), service = "main") ],
);

const hello :Workerd.Worker = (
  serviceWorkerScript = embed "worker.js",
  compatibilityDate = "2024-09-23",
);
