#!/usr/bin/env bash
# Installs headless Chromium from Debian for the HTML report's browser test (tests/CclAgent.Reporting.Tests,
# ReportInBrowserTests). Idempotent: does nothing when chromium is already on PATH. Needs root (or passwordless
# sudo) the first time.
set -euo pipefail
command -v chromium >/dev/null 2>&1 && exit 0
exec bash "$(dirname "$0")/apt-install.sh" install-chromium chromium
