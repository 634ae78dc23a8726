#!/usr/bin/env bash
# Make sure the Debian packages the build (and, with --test, the tests) need are
# installed: install them with apt-get when running as root, otherwise name them
# and fail.
set -euo pipefail

# ghostscript: its CMYK profile (libgs-common) is the press PDF's output profile, and
# the tests separate press PDFs into plates with it; poppler-utils: pdftoppm draws
# the print pages of `make preview`
# fonts-lxgw-wenkai: the Kai face of quotes, epigraphs and captions
packages=(fonts-noto-cjk fonts-lxgw-wenkai libharfbuzz-subset0 ghostscript poppler-utils)
if [ "${1:-}" = "--test" ]; then
  # pdftotext/pdffonts for the PDF checks (poppler-utils, above), Chromium for the browser tests and Ace
  packages+=(chromium)
  command -v java >/dev/null 2>&1 || packages+=(default-jre-headless)
fi

missing=()
for pkg in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "error: missing Debian packages: ${missing[*]}" >&2
  echo "       install them with: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "installing Debian packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
