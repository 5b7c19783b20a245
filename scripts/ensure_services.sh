#!/usr/bin/env bash
# Make sure PostgreSQL, Redis, Chromium and gettext are available for tests.
set -euo pipefail

need_apt() {
    # $1 = Debian package name, $2 = what it is for
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
        echo "Installing $1 ($2)..."
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1"
    else
        echo "Please install Debian's $1 ($2): sudo apt-get install $1" >&2
        exit 1
    fi
}

# PostgreSQL on 127.0.0.1:5432
if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
    if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
        version="$(ls /etc/postgresql | sort -V | tail -n1)"
        echo "Starting PostgreSQL ${version}..."
        pg_ctlcluster --skip-systemctl-redirect "$version" main start
        for _ in $(seq 1 30); do
            pg_isready -h 127.0.0.1 -p 5432 -q && break
            sleep 1
        done
        pg_isready -h 127.0.0.1 -p 5432 -q || { echo "PostgreSQL did not start" >&2; exit 1; }
    else
        echo "PostgreSQL 15 is not installed: apt-get install postgresql-15" \
            "(user postgres, trust auth on 127.0.0.1)" >&2
        exit 1
    fi
fi

# Redis on 127.0.0.1:6379
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    if command -v redis-server >/dev/null; then
        echo "Starting Redis..."
        redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
        for _ in $(seq 1 20); do
            redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break
            sleep 0.5
        done
    else
        echo "Redis is not installed: apt-get install redis-server" >&2
        exit 1
    fi
fi

# Headless Chromium for browser tests (Debian's package; never `playwright install`).
[ -x /usr/bin/chromium ] || need_apt chromium "headless browser tests"
# msgfmt for compilemessages.
command -v msgfmt >/dev/null || need_apt gettext "translations"

echo "Services OK: PostgreSQL, Redis, Chromium, gettext."
