#!/usr/bin/env bash
# Start web, Celery worker and Celery beat together; Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."

PY="${PY:-.venv/bin/python}"
PORT="${PORT:-8000}"
CELERY="$(dirname "$PY")/celery"
pids=()

start() {
    if command -v setsid >/dev/null; then setsid "$@" & else "$@" & fi
    pids+=($!)
}

stop() {
    trap - INT TERM EXIT
    echo
    echo "Stopping Aduan..."
    for pid in "${pids[@]}"; do
        # Each child leads its own process group (setsid), so this also stops
        # runserver's autoreload child and Celery's pool processes.
        kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    done
    wait 2>/dev/null || true
}
trap stop INT TERM EXIT

start "$PY" manage.py runserver "0.0.0.0:${PORT}"
start "$CELERY" -A config worker -l info --pool=solo
start "$CELERY" -A config beat -l info
# The stand-in national SP4N-LAPOR! system (docs/lapor.md), BPOM linked to it, so that the
# connector works in the demo. Optional: if its port is taken, the portal runs without it.
LAPOR_PORT="${LAPOR_PORT:-8765}"
start bash -c "\"$PY\" manage.py lapor_standin --link bpom --port $LAPOR_PORT --portal http://127.0.0.1:${PORT} \
    || { echo 'SP4N-LAPOR! stand-in not started (port ${LAPOR_PORT} busy?)'; exec sleep infinity; }"

echo
echo "Aduan is running at http://127.0.0.1:${PORT}/  (Ctrl-C to stop)"
echo "SP4N-LAPOR! stand-in: http://127.0.0.1:${LAPOR_PORT}/ (BPOM is linked to it)"
echo

# Exit (and stop the others) as soon as any one child dies.
wait -n
