#!/usr/bin/env bash
# Generates the CLIQ fake's test PKI once; the PEM files are committed so tests need no tool at run time.
# Run from anywhere with `bash test/fakes/cliq/pki/generate.sh` (needs openssl >= 1.1.1). Test keys only:
# nothing here protects anything real.
set -euo pipefail
cd "$(dirname "$0")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
long=36500 # days; the valid certificates must outlive the project

newkey() { openssl ecparam -name prime256v1 -genkey -noout -out "$1"; }

# 1. The fake's CA ("CLIQ Data Center" stand-in) and a second, unknown CA.
newkey ca.key
openssl req -x509 -new -key ca.key -out ca.pem -days "$long" -subj "/O=keybridge test/CN=keybridge test CLIQ CA"
newkey "$work/rogue-ca.key"
openssl req -x509 -new -key "$work/rogue-ca.key" -out "$work/rogue-ca.pem" -days "$long" \
  -subj "/O=rogue/CN=unknown test CA"

sign() { # sign <csr> <out> <ca.pem> <ca.key> <extensions> [extra x509 args]
  local csr="$1" out="$2" ca="$3" cakey="$4" ext="$5"
  shift 5
  printf '%s\n' "$ext" >"$work/ext.cnf"
  openssl x509 -req -in "$csr" -CA "$ca" -CAkey "$cakey" -set_serial "0x$(openssl rand -hex 8)" \
    -out "$out" -extfile "$work/ext.cnf" "$@"
}

# 2. Server certificate for 127.0.0.1 and localhost.
newkey server.key
openssl req -new -key server.key -out "$work/server.csr" -subj "/O=keybridge test/CN=localhost"
sign "$work/server.csr" server.pem ca.pem ca.key \
  "subjectAltName=DNS:localhost,IP:127.0.0.1
extendedKeyUsage=serverAuth" -days "$long"

# 3. The valid client "API certificate" (its subject CN maps to an API user in the fake).
newkey client.key
openssl req -new -key client.key -out "$work/client.csr" -subj "/O=keybridge test/CN=keybridge-api"
sign "$work/client.csr" client.pem ca.pem ca.key "extendedKeyUsage=clientAuth" -days "$long"

# 4. An expired client certificate from the right CA (validity 2020-01-01 .. 2020-01-02), via `openssl ca`
#    because `openssl x509` in OpenSSL 3.0 cannot back-date.
newkey expired-client.key
openssl req -new -key expired-client.key -out "$work/expired.csr" -subj "/O=keybridge test/CN=keybridge-api"
mkdir -p "$work/ca"
: >"$work/ca/index.txt"
cat >"$work/ca.cnf" <<CNF
[ca]
default_ca = test
[test]
database = $work/ca/index.txt
new_certs_dir = $work/ca
serial = $work/ca/serial
default_md = sha256
policy = any
x509_extensions = ext
unique_subject = no
[any]
commonName = supplied
organizationName = optional
[ext]
extendedKeyUsage = clientAuth
CNF
openssl rand -hex 8 >"$work/ca/serial"
openssl ca -batch -config "$work/ca.cnf" -cert ca.pem -keyfile ca.key -in "$work/expired.csr" \
  -out "$work/expired.pem" -startdate 20200101000000Z -enddate 20200102000000Z -notext 2>/dev/null
openssl x509 -in "$work/expired.pem" -out expired-client.pem

# 5. A client certificate with the right subject but issued by the unknown CA.
newkey unknown-ca-client.key
openssl req -new -key unknown-ca-client.key -out "$work/unknown.csr" -subj "/O=keybridge test/CN=keybridge-api"
sign "$work/unknown.csr" unknown-ca-client.pem "$work/rogue-ca.pem" "$work/rogue-ca.key" \
  "extendedKeyUsage=clientAuth" -days "$long"

# 6. A valid certificate whose subject maps to no API user (authenticates at TLS, refused with 401).
newkey stranger-client.key
openssl req -new -key stranger-client.key -out "$work/stranger.csr" -subj "/O=keybridge test/CN=stranger"
sign "$work/stranger.csr" stranger-client.pem ca.pem ca.key "extendedKeyUsage=clientAuth" -days "$long"

echo "CLIQ test PKI written to $(pwd)"
