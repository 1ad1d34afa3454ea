//! Each field's help: what it is, its unit, typical values and how to measure it, in a
//! sentence or two the form shows under the label. Short: they are in the first load.

use super::Field;
use crate::model::sources::guide;

impl Field {
    /// What the field is and how to find its value ("" for a retired field).
    pub fn help(self) -> &'static str {
        use Field as F;
        match self {
            F::Name => "Names the files and objects: lowercase letters, digits and '-'.",
            F::Tier => concat!("A ", guide!(004), " benchmark node sets cores and RAM; Custom keeps yours."),
            F::Cores => "CPU cores of one app node (a pod's CPU limit), as nproc counts cores.",
            F::Ram => "RAM of one app node (a pod's memory), GiB: the total of free -g.",
            F::Storage => "The app node's disk: tunes PostgreSQL when it runs there.",
            F::Replicas => "App nodes (pods on Kubernetes) behind the load balancer; 2+ nodes for availability.",
            F::Server => "gunicorn's worker type: sync, gthread (threads), gevent (greenlets) or async (uvicorn).",
            F::Framework => "Your web framework: the files then use its entry point, pool and cookie settings.",
            F::Threads => "gthread threads per process; empty: 2–4 threads by the I/O share.",
            F::Concurrency => "Requests a gevent or async process serves at once; empty: 1,000 or 100 requests.",
            F::Workers => "Overrides the processes per node the rule gives.",
            F::WorkerMem => "One warm app process's memory, MiB: its RSS (ps -o rss=, in KiB) ÷ 1,024.",
            F::Overhead => "The app server's own CPU per request, ms; empty: 0.2 (async) to 0.6 ms (gthread).",
            F::Mix => "Each class's share of your traffic, %, summing to 100.",
            F::Classes => "Up to 8; names of 1–24 letters, digits, '-', '_', '/', spaces.",
            F::CpuMs => "CPU time per request of each class, ms: time.process_time() around it, or CPU s ÷ requests.",
            F::WaitMs => "Time per request of each class off the CPU and outside the database (services, disk), ms.",
            F::Cv => "Spread of request times: standard deviation ÷ mean, from your APM; 1 is typical.",
            F::Rps => "Peak requests per second of the whole fleet, r/s, from the load balancer's logs; 0: none.",
            F::P95 => "The response time 95 % of requests must beat, ms; often 100–500 ms.",
            F::Db => "PostgreSQL, or none.",
            F::PgVersion => "The major version: the first number of SHOW server_version.",
            F::DbHost => "Its own host, or the app node, sharing its cores and RAM.",
            F::DbCores => "CPU cores of the database host, as nproc counts cores.",
            F::DbRam => "RAM of the database host, GiB; shared_buffers takes 25 %.",
            F::DbStorage => "Its disk: sets random_page_cost and effective_io_concurrency.",
            F::Pgbouncer => "Transaction pooling: many app connections share few PostgreSQL ones; large fleets need it.",
            F::AppCidr => "Address ranges the app nodes connect from, let through to PgBouncer on the database host.",
            F::DbShare => "Share of requests that query the database, %, from your APM.",
            F::DbHold => "How long such a request holds its connection, ms: PgBouncer's avg_xact_time (µs) ÷ 1,000.",
            F::Cache => "Redis as a cache, or none.",
            F::CacheMem => "Memory for Redis, MiB (maxmemory: 80 % of it); at least its used_memory.",
            F::Proxy => "nginx in front: buffers slow clients, compresses, limits rates.",
            F::ServerName => "Host names nginx answers, e.g. example.com www.example.com; others get no answer.",
            F::LbCidr => "Address ranges of the load balancers in front, whose X-Forwarded-For nginx trusts.",
            F::CachePaths => "URL path prefixes nginx may cache for everyone, e.g. /api/status; never per-user pages.",
            F::Platform => "Plain hosts with systemd, or Kubernetes.",
            F::Workload => "",
            F::DbCpu => "Database CPU per request using it, ms: total_exec_time ÷ calls × queries (pg_stat_statements), or host CPU s ÷ requests.",
            F::PgbouncerPool => "PgBouncer's default_pool_size as you run it, server connections; empty: the planner's.",
            F::DbMaxConnections => "PostgreSQL's max_connections as you run it (SHOW max_connections); empty: the planner's.",
            F::Spare => "How many nodes the fleet may lose and still carry the target at 70 %; 1 for N+1.",
            F::Peak => "Peak rate ÷ average rate (2 × for a daily peak) when the target is the average; 1: it is the peak.",
            F::UslSigma => "Contention (serialised work): 0.01–0.05 for multi-process servers, Gunther's Guerrilla Capacity Planning (2007) ch. 4–5.",
            F::Measured => "What measured CPU, wait and CV: a calibration sets it.",
            F::CostCoreH => "What a node's core costs an hour, $; default: Google Cloud's E2, us-central1, on demand.",
            F::CostGibH => "What a node's GiB of RAM costs an hour, $; default: the same price list's.",
            F::DaemonsetCpu => "CPU requests, m, of the DaemonSets on every node (kube-proxy, CNI, log agent); default 200 m.",
            F::DaemonsetMem => "Memory requests, MiB, of the DaemonSets on every node; default 256 MiB.",
            F::MaxPods => "The kubelet's maxPods: 110 by default; EKS nodes fewer (their network interfaces), e.g. 29 pods on an m5.large.",
            F::PodCpu | F::PodMem => "Kubernetes: the app pod's CPU (cores) and memory (GiB) limits; 0: the node's.",
            F::UslKappa => "Coherency (cores syncing caches): past a peak more cores lower capacity. Both slow scale-up, not scale-out (nodes).",
        }
    }
}
