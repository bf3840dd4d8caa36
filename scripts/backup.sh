#!/usr/bin/env bash
# Backup of Samverkan: the PostgreSQL database (pg_dump custom format) and the media
# files (generated reports), into one dated directory.
#
#   DATABASE_URL=postgres://user:pass@host:5432/samverkan MEDIA_ROOT=/data/media \
#     scripts/backup.sh /backup/samverkan
#
# Writes <dir>/samverkan-<UTC timestamp>/{database.dump,media.tar.gz,SHA256SUMS}.
# Restore with scripts/restore.sh. Keep copies off the server; test a restore regularly.
set -euo pipefail

target_root="${1:?usage: backup.sh <backup directory>}"
: "${DATABASE_URL:?set DATABASE_URL (postgres://...)}"
media_root="${MEDIA_ROOT:-$(cd "$(dirname "$0")/.." && pwd)/media}"

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
target="${target_root%/}/samverkan-${stamp}"
mkdir -p "$target"
umask 077

# Custom format: compressed, and pg_restore can restore it into an empty database.
pg_dump --format=custom --no-owner --no-privileges --file="$target/database.dump" "$DATABASE_URL"
pg_restore --list "$target/database.dump" >/dev/null  # the dump is readable

if [ -d "$media_root" ]; then
  tar -C "$media_root" -czf "$target/media.tar.gz" .
fi

(cd "$target" && sha256sum ./* >SHA256SUMS)
echo "$target"
