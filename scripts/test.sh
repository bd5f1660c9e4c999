#!/usr/bin/env bash
# Runs every test of zhibu: formatting, lints, Rust unit and integration
# tests, the example site's calendar files through Python's icalendar, then
# the browser tests (HTML validity, accessibility, quizzes, learning record,
# search, dates read later, WeChat) against the example site in headless Chromium.
# On a fresh machine it installs what it needs: Chromium, Java (for the W3C
# HTML checker) and nginx (for the publishing test) as Debian packages when
# run as root, and the npm packages of tests/browser.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the browser and publishing tests need.
missing=()
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || missing+=(chromium fonts-noto-cjk)
command -v java >/dev/null || missing+=(default-jre-headless)
[ -x "${NGINX:-/usr/sbin/nginx}" ] || missing+=(nginx)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "== installing ${missing[*]} (Debian packages)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "The browser tests need: ${missing[*]}. Install them (sudo apt-get install ${missing[*]}) or set CHROMIUM / NGINX." >&2
    exit 1
  fi
fi

echo "== [${SECONDS}s] cargo test"
cargo test --quiet

echo "== [${SECONDS}s] building the example site for the browser tests"
# The debug binaries cargo test just built (dependencies optimised, see
# Cargo.toml's [profile.dev.package."*"]): no second, release compile.
cargo build --quiet --bin zhibu --example photo_site
SITE_DIR="$(pwd)/target/browser-site"
./target/debug/zhibu build --now 2026-11-21T12:00:00+08:00 --base-url http://127.0.0.1/zhibu/ --output "$SITE_DIR"

echo "== [${SECONDS}s] calendar files read by a real iCalendar parser (Python's icalendar)"
if [ ! -x target/ics-venv/bin/python ]; then
  python3 -m venv target/ics-venv
fi
target/ics-venv/bin/python -c "import icalendar" 2>/dev/null \
  || target/ics-venv/bin/pip install --quiet --disable-pip-version-check "icalendar==7.3.0"
target/ics-venv/bin/python tests/ics/check_ics.py "$SITE_DIR"

echo "== [${SECONDS}s] browser tests"
if [ ! -d tests/browser/node_modules ] || [ tests/browser/package-lock.json -nt tests/browser/node_modules ]; then
  (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
fi
(cd tests/browser && ZHIBU_TEST_SITE="$SITE_DIR" ZHIBU_TEST_BASE=/zhibu/ ZHIBU_BIN="$(pwd)/../../target/debug/zhibu" ZHIBU_PHOTO_SITE_BIN="$(pwd)/../../target/debug/examples/photo_site" node --test --test-concurrency=1 .)
echo "== [${SECONDS}s] all tests passed"
