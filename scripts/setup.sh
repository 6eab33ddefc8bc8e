#!/bin/sh
# Set kg up on a fresh machine and build the default knowledge graph (outputs/kg.ttl and
# outputs/kg.html). Building needs no network; installing needs the package registries.
set -eu
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "kg needs Python 3.11 or newer; set PYTHON=/path/to/python3.11 and run again." >&2
    exit 1
fi

# The tests drive a real browser (Debian's chromium) and check our Turtle with an
# independent parser (rapper, from raptor2-utils). Install them where apt is available.
if ! command -v chromium >/dev/null 2>&1 || ! command -v rapper >/dev/null 2>&1; then
    if command -v apt-get >/dev/null 2>&1; then
        SUDO=""
        [ "$(id -u)" -eq 0 ] || SUDO="sudo"
        $SUDO apt-get update -qq
        $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium raptor2-utils >/dev/null
    else
        echo "note: install chromium and raptor2-utils (rapper) for the browser and Turtle tests." >&2
    fi
fi

"$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet ".[test]"
.venv/bin/kg build --offline
