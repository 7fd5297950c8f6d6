#!/usr/bin/env bash
# A self-signed TLS certificate for running the production shape (docker/compose.yml) locally:
#   scripts/self-signed-cert.sh [DIR] [NAME...]
# writes DIR/fullchain.pem and DIR/privkey.pem (default DIR: docker/tls, which TLS_DIR=./tls names; default NAME:
# localhost), an ECDSA P-256 key and a certificate valid for 30 days for the names given (host names or IP
# addresses) plus 127.0.0.1 and ::1. Browsers warn about it until you trust it; never use it in production: there,
# put your certificate (with its chain) and key in TLS_DIR under the same names, or set TLS_CERT_FILE/TLS_KEY_FILE.
set -euo pipefail
dir="${1:-$(dirname "$0")/../docker/tls}"
[ "$#" -gt 0 ] && shift
names=("$@")
[ "${#names[@]}" -gt 0 ] || names=(localhost)

san=""
for name in "${names[@]}"; do
  if [[ "$name" =~ ^[0-9.]+$ || "$name" == *:* ]]; then san+="IP:$name,"; else san+="DNS:$name,"; fi
done
san+="IP:127.0.0.1,IP:::1"

mkdir -p "$dir"
umask 077
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -sha256 \
  -subj "/CN=${names[0]}" \
  -addext "subjectAltName=$san" \
  -addext "basicConstraints=critical,CA:FALSE" \
  -addext "keyUsage=critical,digitalSignature" \
  -addext "extendedKeyUsage=serverAuth" \
  -keyout "$dir/privkey.pem" -out "$dir/fullchain.pem" 2>/dev/null
chmod 644 "$dir/fullchain.pem"
echo "wrote $dir/fullchain.pem and $dir/privkey.pem (self-signed, 30 days) for: ${san//,/, }"
