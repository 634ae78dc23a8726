#!/usr/bin/env bash
# DAISY Ace (accessibility checker for EPUB) from the npm registry, into .ace/,
# run on Debian's Chromium: no browser is downloaded.
set -euo pipefail
cd "$(dirname "$0")/.."
version=1.4.6
if [ -x .ace/node_modules/.bin/ace-cli ] && grep -q "\"version\": \"$version\"" .ace/node_modules/@daisy/ace-cli/package.json; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "error: npm is needed to install DAISY Ace (Debian package: npm)" >&2
  exit 1
fi
mkdir -p .ace
export PUPPETEER_SKIP_DOWNLOAD=1 PUPPETEER_SKIP_CHROMIUM_DOWNLOAD=1
npm install --prefix .ace --no-audit --no-fund --loglevel=error "@daisy/ace-cli@$version" >&2
