#!/usr/bin/env bash
# Load figures for the native servers, all on loopback, in one run:
#   1. static file (~1 KB), keep-alive, wrk -t2 -c100 -d8s against
#      sockscope http, nginx (2 workers) and Python's ThreadingHTTPServer;
#   2. echo round trips/s: sockscope echo vs a Python threaded echo server
#      written like the course's, driven by the same Rust load client;
#   3. peak memory (VmHWM) of sockscope http holding 1,000 idle connections.
# Installs wrk and nginx (Debian packages) when missing; needs root for that.
# Usage: scripts/bench-native.sh   (prints a Markdown summary at the end)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DURATION="${DURATION:-8s}"
ECHO_SECONDS="${ECHO_SECONDS:-8}"
ECHO_CLIENTS="${ECHO_CLIENTS:-50}"
IDLE_CONNS="${IDLE_CONNS:-1000}"
HTTP_PORT=18080 NGINX_PORT=18081 PY_PORT=18082 ECHO_PORT=19090 PYECHO_PORT=19091 IDLE_PORT=18083

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

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

say "building sockscope (profile native)"
(cd "$ROOT" && cargo build --quiet --profile native --features native)
BIN="$ROOT/target/native/sockscope"

# Each server needs a file descriptor per connection (sockscope two: it keeps
# a second handle to wake the thread on shutdown).
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

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
  cat "$WORK/wrk-$1.txt" >&2
  if grep -q "Non-2xx" "$WORK/wrk-$1.txt"; then echo "$1 answered non-2xx" >&2; exit 1; fi
  awk '/Requests\/sec/ {print $2}' "$WORK/wrk-$1.txt"
}

stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

echo "load before the run: $(uptime)" >&2

# ---- 1. static file -------------------------------------------------------
say "sockscope http (access log to a file)"
"$BIN" serve --mode http --port $HTTP_PORT --root "$WORK/www" >"$WORK/sockscope-access.log" 2>"$WORK/sockscope.err" &
P=$!; PIDS+=("$P"); wait_port $HTTP_PORT
RPS_SOCKSCOPE=$(run_wrk sockscope $HTTP_PORT)
stop "$P"

say "sockscope http --quiet (no access log)"
"$BIN" serve --mode http --quiet --port $HTTP_PORT --root "$WORK/www" 2>"$WORK/sockscope.err" &
P=$!; PIDS+=("$P"); wait_port $HTTP_PORT
RPS_SOCKSCOPE_QUIET=$(run_wrk sockscope-quiet $HTTP_PORT)
stop "$P"

mkdir -p "$WORK/nginx/logs" "$WORK/nginx/tmp"
run_nginx() { # name access_log-directive -> prints req/s
  cat >"$WORK/nginx/nginx.conf" <<EOF
worker_processes 2;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log $2;
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
  "$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" >&2 &
  local p=$!; PIDS+=("$p"); wait_port $NGINX_PORT
  run_wrk "$1" $NGINX_PORT
  stop "$p"
}
say "nginx, 2 workers (access log to a file)"
RPS_NGINX=$(run_nginx nginx "$WORK/nginx/logs/access.log")
say "nginx, 2 workers (access_log off)"
RPS_NGINX_QUIET=$(run_nginx nginx-quiet off)

say "Python ThreadingHTTPServer (HTTP/1.1)"
cat >"$WORK/pyhttp.py" <<'EOF'
import functools, sys
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
class Handler(SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
handler = functools.partial(Handler, directory=sys.argv[2])
ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), handler).serve_forever()
EOF
python3 "$WORK/pyhttp.py" $PY_PORT "$WORK/www" 2>"$WORK/python-access.log" &
P=$!; PIDS+=("$P"); wait_port $PY_PORT
RPS_PYTHON=$(run_wrk python $PY_PORT)
stop "$P"

# ---- 2. echo round trips ----------------------------------------------------
REPLY_LEN=$(python3 -c 'print(len("收到，正在处理…".encode("gbk")))')

say "sockscope echo (console to a file)"
"$BIN" serve --mode echo --port $ECHO_PORT >"$WORK/sockscope-echo.log" 2>"$WORK/sockscope-echo.err" &
P=$!; PIDS+=("$P"); wait_port $ECHO_PORT
ECHO_SOCKSCOPE=$("$BIN" bench-echo --addr 127.0.0.1:$ECHO_PORT --clients "$ECHO_CLIENTS" --seconds "$ECHO_SECONDS" --reply-len "$REPLY_LEN")
echo "$ECHO_SOCKSCOPE" >&2
stop "$P"

say "Python threaded echo server, as in the course (console to a file)"
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
python3 "$WORK/pyecho.py" $PYECHO_PORT >"$WORK/python-echo.log" 2>&1 &
P=$!; PIDS+=("$P"); wait_port $PYECHO_PORT
ECHO_PYTHON=$("$BIN" bench-echo --addr 127.0.0.1:$PYECHO_PORT --clients "$ECHO_CLIENTS" --seconds "$ECHO_SECONDS" --reply-len "$REPLY_LEN")
echo "$ECHO_PYTHON" >&2
stop "$P"

# ---- 3. memory with idle connections ----------------------------------------
say "sockscope http holding $IDLE_CONNS idle connections"
"$BIN" serve --mode http --quiet --port $IDLE_PORT --root "$WORK/www" \
  --max-connections $((IDLE_CONNS + 100)) --idle-timeout-secs 120 2>"$WORK/idle.err" &
P=$!; PIDS+=("$P"); wait_port $IDLE_PORT
RSS_BEFORE=$(awk '/VmRSS/ {print $2}' /proc/$P/status)
python3 - $IDLE_PORT "$IDLE_CONNS" $P >"$WORK/idle.txt" <<'EOF'
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
        got += s.recv(65536)
time.sleep(1)
status = open(f"/proc/{pid}/status").read()
threads = [l for l in status.splitlines() if l.startswith("Threads:")][0].split()[1]
hwm = [l for l in status.splitlines() if l.startswith("VmHWM:")][0].split()[1]
rss = [l for l in status.splitlines() if l.startswith("VmRSS:")][0].split()[1]
print(hwm, rss, threads)
EOF
read -r RSS_HWM RSS_NOW THREADS <"$WORK/idle.txt"
stop "$P"

# ---- summary ------------------------------------------------------------------
ratio() { python3 -c "print(f'{float($1)/float($2):.2f}')"; }
rtps() { sed -E 's/.*= ([0-9]+)\/s.*/\1/' <<<"$1"; }
E_S=$(rtps "$ECHO_SOCKSCOPE"); E_P=$(rtps "$ECHO_PYTHON")
NGINX_VERSION=$("$NGINX" -v 2>&1 | sed 's/.*nginx\///')
cat <<EOF

Static file, ${FILE_SIZE} bytes, keep-alive, wrk -t2 -c100 -d$DURATION, loopback:

| server | requests/s | vs nginx with the same logging |
|---|---:|---:|
| sockscope http (access log to a file) | $RPS_SOCKSCOPE | $(ratio "$RPS_SOCKSCOPE" "$RPS_NGINX")× |
| nginx $NGINX_VERSION, 2 workers (access log to a file) | $RPS_NGINX | 1.00× |
| sockscope http --quiet (no access log) | $RPS_SOCKSCOPE_QUIET | $(ratio "$RPS_SOCKSCOPE_QUIET" "$RPS_NGINX_QUIET")× |
| nginx $NGINX_VERSION, 2 workers (access_log off) | $RPS_NGINX_QUIET | 1.00× |
| Python $(python3 -c 'import platform; print(platform.python_version())') ThreadingHTTPServer, HTTP/1.1 | $RPS_PYTHON | $(ratio "$RPS_PYTHON" "$RPS_NGINX")× |

Echo round trips, $ECHO_CLIENTS clients, ${ECHO_SECONDS} s, one message in flight per client:

| server | round trips/s |
|---|---:|
| sockscope echo | $E_S |
| Python threaded echo server (course style) | $E_P |
| ratio | $(ratio "$E_S" "$E_P")× |

sockscope http with $IDLE_CONNS idle keep-alive connections: peak RSS (VmHWM) $((RSS_HWM / 1024)) MiB,
RSS $((RSS_NOW / 1024)) MiB, $THREADS threads (RSS at start: $((RSS_BEFORE / 1024)) MiB).
EOF
