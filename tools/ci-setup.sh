#!/usr/bin/env bash
# Outside tools the test suite uses, installed idempotently (quick when already there):
# - Debian's chromium, for the Text Fragment tests (tests/test_quote_fragments.py) and browser
#   capture (tests/test_browser_*.py, driven by Playwright from the test extra, which never
#   downloads a browser: capture --browser uses this chromium);
# - citeproc-js from the npm registry, pinned by tests/citeproc/package-lock.json, for the
#   differential citation tests (tests/test_cite_citeproc.py);
# - ajv from the npm registry, pinned by tests/ajv/package-lock.json, for the strict compile
#   of the record schema (tests/test_schema_ajv.py).
# Run by .ci/run and by the README's test command. Without root (a developer's machine),
# a missing chromium is reported and its tests skip, saying so; in CI (CI=true) they fail.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
        echo "ci-setup: installing chromium (Debian package)" >&2
        # wait (up to 10 min) for another install holding the apt/dpkg lock instead of failing
        apt-get -o DPkg::Lock::Timeout=600 update -qq
        DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq chromium >/dev/null
    else
        echo "ci-setup: chromium is not installed and this is not root: its tests will skip" >&2
    fi
fi

if command -v npm >/dev/null 2>&1; then
    lock=tests/citeproc/package-lock.json
    stamp=tests/citeproc/node_modules/.package-lock.json
    if [ ! -f "$stamp" ] || ! cmp -s <(sed -n '/"node_modules\/citeproc"/,/}/p' "$lock") \
            <(sed -n '/"node_modules\/citeproc"/,/}/p' "$stamp"); then
        echo "ci-setup: npm ci in tests/citeproc" >&2
        (cd tests/citeproc && npm ci --no-audit --no-fund --silent)
    fi
    # ajv (strict compile of the record schema: tests/test_schema_ajv.py)
    lock=tests/ajv/package-lock.json
    stamp=tests/ajv/node_modules/.package-lock.json
    if [ ! -f "$stamp" ] || ! cmp -s <(sed -n '/"node_modules\/ajv"/,/}/p' "$lock") \
            <(sed -n '/"node_modules\/ajv"/,/}/p' "$stamp"); then
        echo "ci-setup: npm ci in tests/ajv" >&2
        (cd tests/ajv && npm ci --no-audit --no-fund --silent)
    fi
else
    echo "ci-setup: npm is not installed: the citeproc-js tests will skip" >&2
fi
