#!/usr/bin/env bash
# Restore a backup written by scripts/backup.sh into an EMPTY database.
#
#   DATABASE_URL=postgres://user:pass@host:5432/samverkan_restored MEDIA_ROOT=/data/media \
#     scripts/restore.sh /backup/samverkan/samverkan-20260301T020000Z
#
# Steps: checks the SHA-256 sums, refuses a database that already has tables (so a
# restore never mixes with live data; create a new database or drop the old one first),
# restores with pg_restore in one transaction, then unpacks the media files.
# Afterwards run `manage.py migrate` (a no-op for a backup of the same version).
set -euo pipefail

source_dir="${1:?usage: restore.sh <backup directory>}"
: "${DATABASE_URL:?set DATABASE_URL (postgres://...) of an empty database}"
media_root="${MEDIA_ROOT:-$(cd "$(dirname "$0")/.." && pwd)/media}"

(cd "$source_dir" && sha256sum --check --quiet SHA256SUMS)

tables="$(psql "$DATABASE_URL" -tAc "select count(*) from information_schema.tables where table_schema = 'public'")"
if [ "$tables" != "0" ]; then
  echo "restore.sh: the database already has $tables tables; restore into an empty database." >&2
  exit 1
fi

pg_restore --no-owner --no-privileges --single-transaction --exit-on-error \
  --dbname="$DATABASE_URL" "$source_dir/database.dump"

if [ -f "$source_dir/media.tar.gz" ]; then
  mkdir -p "$media_root"
  tar -C "$media_root" -xzf "$source_dir/media.tar.gz"
fi
echo "restored $source_dir"
