#!/usr/bin/env bash
# The Debian packages the tests need, in one place. Installs the missing ones (as root, on Debian); does nothing
# and returns at once when all are present; otherwise fails at once with the command to run.
#
# Usage: packages.sh [GROUP...]    groups: browser, testbed, vantage, dns (default: all)
# Called by test/globalSetup.ts (all groups), test/postfix/testbed.sh start (testbed) and
# test/vantage/vantagebed.sh start (vantage).
set -euo pipefail

# Chromium (with a font) drives the UI tests and prints the PDF reports; poppler-utils reads the PDFs back.
BROWSER=(chromium fonts-dejavu-core poppler-utils)
# The Postfix test bed: Postfix with Cyrus SASL (sasldb), swaks for `testbed.sh verify` (libnet-ssleay-perl for
# its --tls, only a Recommends of swaks), openssl for the test bed's certificate.
# postgrey greylists for the limited server.
TESTBED=(postfix sasl2-bin libsasl2-modules swaks libnet-ssleay-perl openssl postgrey)
# The vantage point test bed: network namespaces (iproute2) with OpenSSH's sshd and Dante's SOCKS5 server.
VANTAGE=(iproute2 openssh-server openssh-client dante-server)
# Domain sources: a real DNS server on loopback (dnsmasq-base: the binary only, no system service) answers the
# reverse and forward look-ups of test/vantage/domainSources.test.ts from a private hosts file.
DNS=(dnsmasq-base)

say() { printf 'test set-up: %s\n' "$*" >&2; }

groups=("$@")
[ ${#groups[@]} -eq 0 ] && groups=(browser testbed vantage dns)
wanted=()
for group in "${groups[@]}"; do
  case "$group" in
  browser) wanted+=("${BROWSER[@]}") ;;
  testbed) wanted+=("${TESTBED[@]}") ;;
  vantage) wanted+=("${VANTAGE[@]}") ;;
  dns) wanted+=("${DNS[@]}") ;;
  *)
    say "unknown package group \"$group\" (known: browser, testbed, vantage, dns)"
    exit 2
    ;;
  esac
done

if ! command -v dpkg-query >/dev/null || ! command -v apt-get >/dev/null; then
  say "these tests need Debian (or Ubuntu) packages: ${wanted[*]}."
  say "This machine has no dpkg/apt-get. Run them in a Debian container, e.g.:"
  say "  docker run --rm -it -v \"\$PWD\":/src -w /src node:20-trixie sh -c 'npm ci && npm test'"
  say "or run only the tests that need none of this: npm run test:unit"
  exit 1
fi

# One dpkg-query for all packages; packages it does not know are missing too.
installed=$(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "${wanted[@]}" 2>/dev/null || true)
missing=()
for package in "${wanted[@]}"; do
  grep -qx "$package installed" <<<"$installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  say "missing Debian packages: ${missing[*]}. Install them as root, then run the tests again:"
  say "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}"
  exit 1
fi

say "installing missing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Postfix asks how to configure the system's own instance; the test bed runs its own, so: none.
echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
# Wait for another apt (e.g. a second checkout's set-up) instead of failing on its lock.
apt-get -o DPkg::Lock::Timeout=300 update -qq
apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
