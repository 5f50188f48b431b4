#!/usr/bin/env bash
# Load figures for the native servers, all on loopback, in one run:
#   1. static file (~1 KB), keep-alive, wrk -t2 -c100 -d8s, each server
#      ROUNDS times (interleaved): nginx (2 workers) with its access log on
#      and off; sockscope http on both engines (threads, event-loop), each
#      with its access log (stdout to a file) and with --quiet; the event loop
#      with the other accept mode (handoff); Python's ThreadingHTTPServer;
#   2. echo round trips/s with the same load client (`sockscope bench`, an
#      event loop): sockscope echo on the event-loop engine and on the threads
#      engine, and a Python threaded echo server written like the course's,
#      all printing their console lines to a file;
#   3. peak memory (VmHWM) of sockscope http holding idle keep-alive
#      connections: 10,000 on the event loop, 1,000 on threads.
# Waits (up to 30 minutes) for the machine to be quiet first: a load average
# under 0.5 for a minute (QUIET_WAIT=0 skips that). Installs wrk and nginx
# (Debian packages) when missing; needs root for that and for ulimit -n.
# Usage: scripts/bench-native.sh   (prints a Markdown summary at the end)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DURATION="${DURATION:-8s}"
ROUNDS="${ROUNDS:-2}"
ECHO_SECONDS="${ECHO_SECONDS:-8}"
ECHO_CLIENTS="${ECHO_CLIENTS:-50}"
IDLE_LOOP="${IDLE_LOOP:-10000}"
IDLE_THREADS="${IDLE_THREADS:-1000}"
QUIET_WAIT="${QUIET_WAIT:-1800}"
HTTP_PORT=18080 NGINX_PORT=18081 PY_PORT=18082 ECHO_PORT=19090 PYECHO_PORT=19091 IDLE_PORT=18083

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
load1() { cut -d' ' -f1 /proc/loadavg; }

ensure_pkg() { # command package
  if command -v "$1" >/dev/null; then return; fi
  say "installing $2"
  if [ "$(id -u)" != 0 ]; then echo "need root to apt-get install $2" >&2; exit 1; fi
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
}
ensure_pkg wrk wrk
ensure_pkg nginx nginx
ensure_pkg python3 python3
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"

say "building sockscope (profile native = release)"
(cd "$ROOT" && cargo build --quiet --profile native --features native)
BIN="$ROOT/target/native/sockscope"

# 10,000 connections need 10,000 descriptors in the server and as many in
# the client (the threads engine two per connection: it keeps a second
# handle to wake the thread on shutdown).
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
if [ "$(ulimit -n)" -lt $((IDLE_LOOP + 1000)) ]; then
  echo "ulimit -n is $(ulimit -n): too low for $IDLE_LOOP connections (run as root)" >&2
  exit 1
fi

# ---- 0. wait for a quiet machine ---------------------------------------------
QUIET_NOTE="quiet: the 1-minute load average was under 0.5 for a minute before the run"
if [ "$QUIET_WAIT" -gt 0 ]; then
  say "waiting for a quiet machine (load average < 0.5 for 60 s, at most ${QUIET_WAIT} s)"
  waited=0 calm=0
  while [ "$calm" -lt 60 ] && [ "$waited" -lt "$QUIET_WAIT" ]; do
    if python3 -c "import sys; sys.exit(0 if float('$(load1)') < 0.5 else 1)"; then
      calm=$((calm + 5))
    else
      calm=0
    fi
    sleep 5; waited=$((waited + 5))
  done
  if [ "$calm" -lt 60 ]; then
    QUIET_NOTE="NOT quiet: the load average stayed above 0.5 for ${QUIET_WAIT} s; ran anyway"
  fi
else
  QUIET_NOTE="no wait for a quiet machine (QUIET_WAIT=0)"
fi
LOAD_BEFORE="$(cat /proc/loadavg)"
echo "$QUIET_NOTE; load before the run: $LOAD_BEFORE" >&2

WORK="$(mktemp -d /tmp/sockscope-bench.XXXXXX)"
chmod 755 "$WORK"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

mkdir -p "$WORK/www"
python3 - "$WORK/www/index.html" <<'EOF'
import sys
body = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>sockscope bench</title></head><body>\n"
line = "<p>A small static page served over TCP, the same bytes to every server.</p>\n"
while len(body) + len(line) + 15 <= 1000:
    body += line
body += "</body></html>\n"
open(sys.argv[1], "w").write(body)
EOF
chmod 644 "$WORK/www/index.html"
FILE_SIZE=$(stat -c %s "$WORK/www/index.html")

wait_port() { # port
  for _ in $(seq 1 100); do
    if python3 -c "import socket,sys; socket.create_connection(('127.0.0.1',$1),0.2).close()" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "nothing listening on port $1" >&2; exit 1
}

run_wrk() { # name port -> prints req/s
  local url="http://127.0.0.1:$2/index.html"
  curl -fsS -o /dev/null "$url" || { echo "$1 does not serve $url" >&2; exit 1; }
  wrk -t2 -c100 -d"$DURATION" "$url" >"$WORK/wrk-$1.txt" 2>&1
  grep -E "Requests/sec|Latency|Socket errors" "$WORK/wrk-$1.txt" | sed "s/^/  $1: /" >&2
  if grep -q "Non-2xx" "$WORK/wrk-$1.txt"; then echo "$1 answered non-2xx" >&2; exit 1; fi
  awk '/Requests\/sec/ {print $2}' "$WORK/wrk-$1.txt"
}

stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

# ---- 1. static file -------------------------------------------------------
mkdir -p "$WORK/nginx/logs" "$WORK/nginx/tmp"
nginx_conf() { # access_log-directive
  cat >"$WORK/nginx/nginx.conf" <<EOF
worker_processes 2;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log $1;
  client_body_temp_path $WORK/nginx/tmp/body;
  proxy_temp_path $WORK/nginx/tmp/proxy;
  fastcgi_temp_path $WORK/nginx/tmp/fastcgi;
  uwsgi_temp_path $WORK/nginx/tmp/uwsgi;
  scgi_temp_path $WORK/nginx/tmp/scgi;
  types { text/html html; }
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $WORK/www;
  }
}
EOF
}

cat >"$WORK/pyhttp.py" <<'EOF'
import functools, sys
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
class Handler(SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
handler = functools.partial(Handler, directory=sys.argv[2])
ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), handler).serve_forever()
EOF

# name -> how to start it (the server's stdout/stderr are redirected by run_http)
HTTP_SERVERS=(nginx-log nginx-quiet threads-log threads-quiet loop-log loop-quiet loop-quiet-handoff python)
declare -A RPS
run_http() { # name -> appends req/s to RPS[name]
  local name=$1 port=$HTTP_PORT p
  case $name in
    nginx-log) nginx_conf "$WORK/nginx/logs/access.log"; port=$NGINX_PORT
      "$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" >&2 & p=$! ;;
    nginx-quiet) nginx_conf off; port=$NGINX_PORT
      "$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" >&2 & p=$! ;;
    threads-log) "$BIN" serve --mode http --engine threads --port $port --root "$WORK/www" \
      >"$WORK/access-threads.log" 2>"$WORK/$name.err" & p=$! ;;
    threads-quiet) "$BIN" serve --mode http --engine threads --quiet --port $port --root "$WORK/www" \
      2>"$WORK/$name.err" & p=$! ;;
    loop-log) "$BIN" serve --mode http --engine event-loop --port $port --root "$WORK/www" \
      >"$WORK/access-loop.log" 2>"$WORK/$name.err" & p=$! ;;
    loop-quiet) "$BIN" serve --mode http --engine event-loop --quiet --port $port --root "$WORK/www" \
      2>"$WORK/$name.err" & p=$! ;;
    loop-quiet-handoff) "$BIN" serve --mode http --engine event-loop --accept handoff --quiet \
      --port $port --root "$WORK/www" 2>"$WORK/$name.err" & p=$! ;;
    python) port=$PY_PORT
      python3 "$WORK/pyhttp.py" $port "$WORK/www" 2>"$WORK/python-access.log" & p=$! ;;
  esac
  PIDS+=("$p"); wait_port $port
  RPS[$name]="${RPS[$name]:-} $(run_wrk "$name" $port)"
  stop "$p"
}
for round in $(seq 1 "$ROUNDS"); do
  for name in "${HTTP_SERVERS[@]}"; do
    say "round $round: $name"
    run_http "$name"
  done
done

# ---- 2. echo round trips ----------------------------------------------------
cat >"$WORK/pyecho.py" <<'EOF'
import socket, sys, threading

def serve(conn, addr):
    while True:
        data = conn.recv(1024)
        if data:
            print(data.decode("gbk", errors="replace"), addr)
            conn.send("收到，正在处理…".encode("gbk"))
        else:
            print("client offline:", addr)
            break
    conn.close()

server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, True)
server.bind(("127.0.0.1", int(sys.argv[1])))
server.listen(128)
while True:
    conn, addr = server.accept()
    print("client connected:", addr)
    t = threading.Thread(target=serve, args=(conn, addr), daemon=True)
    t.start()
EOF
bench_echo() { "$BIN" bench --addr "127.0.0.1:$1" --connections "$ECHO_CLIENTS" --seconds "$ECHO_SECONDS" --lang zh; }

say "sockscope echo, event-loop (console to a file)"
"$BIN" serve --mode echo --lang zh --engine event-loop --port $ECHO_PORT >"$WORK/echo-loop.log" 2>"$WORK/echo-loop.err" &
P=$!; PIDS+=("$P"); wait_port $ECHO_PORT
ECHO_LOOP=$(bench_echo $ECHO_PORT); echo "  $ECHO_LOOP" >&2
stop "$P"

say "sockscope echo, threads (console to a file)"
"$BIN" serve --mode echo --lang zh --engine threads --port $ECHO_PORT >"$WORK/echo-threads.log" 2>"$WORK/echo-threads.err" &
P=$!; PIDS+=("$P"); wait_port $ECHO_PORT
ECHO_THREADS=$(bench_echo $ECHO_PORT); echo "  $ECHO_THREADS" >&2
stop "$P"

say "Python threaded echo server, as in the course (console to a file)"
python3 "$WORK/pyecho.py" $PYECHO_PORT >"$WORK/python-echo.log" 2>&1 &
P=$!; PIDS+=("$P"); wait_port $PYECHO_PORT
ECHO_PYTHON=$(bench_echo $PYECHO_PORT); echo "  $ECHO_PYTHON" >&2
stop "$P"

# ---- 3. memory with idle connections ----------------------------------------
cat >"$WORK/idle.py" <<'EOF'
import socket, sys, time
port, n, pid = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
conns = []
for i in range(n):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET /index.html HTTP/1.1\r\nHost: bench\r\n\r\n")
    conns.append(s)
for s in conns:  # every connection has had a full exchange and stays open
    got = b""
    while b"</html>" not in got:
        chunk = s.recv(65536)
        if not chunk:
            sys.exit("the server closed an idle connection")
        got += chunk
time.sleep(1)
status = open(f"/proc/{pid}/status").read()
field = lambda name: [l for l in status.splitlines() if l.startswith(name + ":")][0].split()[1]
print(field("VmHWM"), field("VmRSS"), field("Threads"))
EOF
idle_run() { # engine connections -> "hwm_kib rss_kib threads rss_start_kib"
  "$BIN" serve --mode http --engine "$1" --quiet --port $IDLE_PORT --root "$WORK/www" \
    --max-connections $(($2 + 100)) --idle-timeout-secs 300 2>"$WORK/idle-$1.err" &
  local p=$!; PIDS+=("$p"); wait_port $IDLE_PORT
  local start; start=$(awk '/VmRSS/ {print $2}' /proc/$p/status)
  local out; out=$(python3 "$WORK/idle.py" $IDLE_PORT "$2" $p)
  stop "$p"
  echo "$out $start"
}
say "sockscope http, event-loop, holding $IDLE_LOOP idle connections"
read -r L_HWM L_RSS L_THREADS L_START < <(idle_run event-loop "$IDLE_LOOP")
sleep 2 # let the closed connections leave TIME_WAIT's way
say "sockscope http, threads, holding $IDLE_THREADS idle connections"
read -r T_HWM T_RSS T_THREADS T_START < <(idle_run threads "$IDLE_THREADS")

LOAD_AFTER="$(cat /proc/loadavg)"

# ---- summary ------------------------------------------------------------------
mean() { python3 -c "import sys; v=[float(x) for x in sys.argv[1:]]; print(f'{sum(v)/len(v):.0f}')" $1; }
each() { python3 -c "import sys; print(' / '.join(f'{float(x):,.0f}' for x in sys.argv[1:]))" $1; }
ratio() { python3 -c "print(f'{float($1)/float($2):.2f}')"; }
rtps() { sed -E 's/.*= ([0-9]+)\/s.*/\1/' <<<"$1"; }
declare -A M
for n in "${HTTP_SERVERS[@]}"; do M[$n]=$(mean "${RPS[$n]}"); done
E_L=$(rtps "$ECHO_LOOP"); E_T=$(rtps "$ECHO_THREADS"); E_P=$(rtps "$ECHO_PYTHON")
NGINX_VERSION=$("$NGINX" -v 2>&1 | sed 's/.*nginx\///')
PY_VERSION=$(python3 -c 'import platform; print(platform.python_version())')
row() { # label name baseline
  printf '| %s | %s | %s | %s× |\n' "$1" "$(printf "%'d" "${M[$2]}")" "$(each "${RPS[$2]}")" "$(ratio "${M[$2]}" "${M[$3]}")"
}
cat <<EOF

$(date -u '+%Y-%m-%d %H:%M UTC'); $QUIET_NOTE.
Load average before: $LOAD_BEFORE; after: $LOAD_AFTER.

Static file, ${FILE_SIZE} bytes, keep-alive, wrk -t2 -c100 -d$DURATION, loopback, mean of $ROUNDS rounds:

| server | requests/s | each round | vs nginx with the same logging |
|---|---:|---:|---:|
$(row "sockscope http, event-loop (access log to a file)" loop-log nginx-log)
$(row "sockscope http, threads (access log to a file)" threads-log nginx-log)
$(row "nginx $NGINX_VERSION, 2 workers (access log to a file)" nginx-log nginx-log)
$(row "sockscope http, event-loop \`--quiet\`" loop-quiet nginx-quiet)
$(row "sockscope http, event-loop \`--quiet --accept handoff\`" loop-quiet-handoff nginx-quiet)
$(row "sockscope http, threads \`--quiet\`" threads-quiet nginx-quiet)
$(row "nginx $NGINX_VERSION, 2 workers (\`access_log off\`)" nginx-quiet nginx-quiet)
$(row "Python $PY_VERSION ThreadingHTTPServer, HTTP/1.1 (log to stderr, a file)" python nginx-log)

Echo round trips, $ECHO_CLIENTS connections, ${ECHO_SECONDS} s, one message in flight per connection, load client \`sockscope bench\` (one event-loop thread); every server prints its console line per message to a file:

| server | round trips/s | vs Python |
|---|---:|---:|
| sockscope echo, event-loop | $E_L | $(ratio "$E_L" "$E_P")× |
| sockscope echo, threads | $E_T | $(ratio "$E_T" "$E_P")× |
| Python threaded echo server (course style) | $E_P | 1.00× |

Idle keep-alive connections (each had one request answered), sockscope http \`--quiet\`:

| engine | connections | peak RSS (VmHWM) | RSS at start | threads |
|---|---:|---:|---:|---:|
| event-loop | $IDLE_LOOP | $((L_HWM / 1024)) MiB ($L_HWM kB) | $((L_START / 1024)) MiB | $L_THREADS |
| threads | $IDLE_THREADS | $((T_HWM / 1024)) MiB ($T_HWM kB) | $((T_START / 1024)) MiB | $T_THREADS |
EOF
