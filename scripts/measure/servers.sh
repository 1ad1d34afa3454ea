# Sourced by the measurement scripts: Debian's PostgreSQL 15 and PgBouncer on loopback, run as
# the postgres user (both refuse root) in a scratch directory, stopped on exit.
#   start_postgres PORT [setting=value ...]   a fresh cluster (trust auth) listening on 127.0.0.1:PORT
#   start_pgbouncer PORT PG_PORT POOL         transaction pooling, default_pool_size POOL, no reserve
# Sets WORK (the scratch directory), PG_PID, BOUNCER_PID.

PG_BIN=/usr/lib/postgresql/15/bin
WORK=$(mktemp -d /tmp/measure.XXXXXX)
chmod 755 "$WORK"
chown postgres: "$WORK"

# Each server is started as a simple command (never through a function or a shell), so $!
# is the server itself: setpriv and env replace themselves with it.
AS_POSTGRES=(setpriv --reuid=postgres --regid=postgres --clear-groups env HOME=/tmp)

stop_servers() {
  # Each server's own shutdown signal: PostgreSQL's fast shutdown, PgBouncer's immediate one.
  local pid
  for pid in ${BOUNCER_PID:-} ${PG_PID:-}; do
    kill -INT "$pid" 2>/dev/null || continue
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  done
  rm -rf "$WORK"
}

wait_port() { # port: until something listens on 127.0.0.1:port (20 s)
  for _ in $(seq 200); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "nothing listens on port $1" >&2; return 1
}

start_postgres() { # port, then postgresql.conf settings as name=value
  local port=$1; shift
  "${AS_POSTGRES[@]}" "$PG_BIN/initdb" -D "$WORK/pg" -A trust -U postgres --no-sync >/dev/null
  {
    echo "listen_addresses = '127.0.0.1'"
    echo "port = $port"
    echo "unix_socket_directories = '$WORK'"
    echo "fsync = off"
    for s in "$@"; do echo "$s"; done
  } >>"$WORK/pg/postgresql.conf"
  "${AS_POSTGRES[@]}" "$PG_BIN/postgres" -D "$WORK/pg" >"$WORK/pg.log" 2>&1 &
  PG_PID=$!
  wait_port "$port"
  for _ in $(seq 100); do psql -h 127.0.0.1 -p "$port" -U postgres -Atqc 'select 1' postgres >/dev/null 2>&1 && return 0; sleep 0.1; done
  cat "$WORK/pg.log" >&2; return 1
}

start_pgbouncer() { # port, PostgreSQL's port, server connections
  local port=$1 pg_port=$2 pool=$3
  echo '"postgres" ""' >"$WORK/userlist.txt"
  cat >"$WORK/pgbouncer.ini" <<EOF
[databases]
postgres = host=127.0.0.1 port=$pg_port dbname=postgres user=postgres

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir = $WORK
auth_type = trust
auth_file = $WORK/userlist.txt
admin_users = postgres
pool_mode = transaction
default_pool_size = $pool
min_pool_size = $pool
reserve_pool_size = 0
max_client_conn = 200
logfile = $WORK/pgbouncer.log
EOF
  chown postgres: "$WORK"/userlist.txt "$WORK"/pgbouncer.ini
  "${AS_POSTGRES[@]}" /usr/sbin/pgbouncer "$WORK/pgbouncer.ini" >/dev/null 2>&1 &
  BOUNCER_PID=$!
  wait_port "$port"
}
