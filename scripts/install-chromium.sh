#!/usr/bin/env bash
# Installs Debian's headless Chromium, its WebDriver (chromedriver) and a text font (fonts-liberation, which
# chromium recommends) for the browser tests, if missing.
# Idempotent and quiet: does nothing when all three are present. Needs root (CI runs as root) or sudo.
set -euo pipefail

if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] && dpkg -s fonts-liberation > /dev/null 2>&1; then
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
echo "installing Debian's chromium and chromium-driver for the browser tests"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends chromium chromium-driver fonts-liberation > /dev/null
test -x /usr/bin/chromium && test -x /usr/bin/chromedriver
