#!/usr/bin/env bash
# Writes docs/errors.md from common/error_codes.def (the one error table), or with --check fails when the
# committed file differs from what the table says.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp)
trap 'rm -f "$out"' EXIT
{
    cat <<'HEAD'
# Errors floed returns

Generated from `common/error_codes.def` by `scripts/gen_error_docs.sh` — do not edit by hand.
Numbers, SQLSTATEs and messages are MySQL's own, so drivers map them as they do for MySQL (`%s` marks where
the details of each case go). **Undoes** says how much a failure rolls back: the statement, the whole
transaction, or the connection (which is closed after the error is sent).

| Code | SQLSTATE | Name | Message | Undoes |
| --- | --- | --- | --- | --- |
HEAD
    grep -E '^FLOE_ERROR\(' "$root/common/error_codes.def" |
        sed -E 's/^FLOE_ERROR\(([A-Z0-9_]+), ([0-9]+), "([^"]+)", "(.*)", k([A-Za-z]+)\)$/| \2 | \3 | \1 | \4 | \5 |/' |
        sed -E 's/\| Statement \|$/| statement |/; s/\| Transaction \|$/| transaction |/; s/\| Connection \|$/| connection |/' |
        sort -t'|' -k2,2n
    cat <<'TAIL'

What to do about the common ones:

- **1045** — wrong user or password. A new data directory has `root` with an empty password unless
  `--root-password` was given; accounts are managed with `CREATE USER` / `ALTER USER`.
- **1064** — the statement does not parse; the text after `near` is where the parser stopped.
- **1153** — a statement or value is larger than `max_allowed_packet`; start floed with a larger
  `--max-allowed-packet` (up to 1G), or `SET GLOBAL max_allowed_packet=...` for new connections. The
  connection that sent it is closed.
- **1040** — `max_connections` sessions are open; close idle ones or raise `--max-connections`.
- **1317** — the statement was stopped by `KILL QUERY` (or its connection by `KILL`).
- **3159** — `require_secure_transport=ON`: connect with TLS (`mariadb --ssl`) or over the Unix socket.
TAIL
} >"$out"
if [[ ${1:-} == --check ]]; then
    if ! diff -u "$root/docs/errors.md" "$out"; then
        echo "docs/errors.md is out of date: run scripts/gen_error_docs.sh"
        exit 1
    fi
    echo "docs/errors.md is current"
else
    cp "$out" "$root/docs/errors.md"
fi
