#!/bin/sh
# The compose file's scheduled backups (docs/runbooks/disaster-recovery.md). Every day at BACKUP_AT (UTC, HH:MM):
#  1. `npm run backup`: an age-encrypted pg_dump with its manifest in /backups (BACKUP_DIR), then the retention policy;
#  2. a base backup for point-in-time recovery (pg_basebackup, tar, in /base-backups/<time>), keeping BACKUP_KEEP_BASE
#     of them, and the archived WAL older than the oldest kept one removed (pg_archivecleanup).
# A failure is logged and retried at the next run; the container keeps going (and `docker compose ps` shows it up).
set -u
at="${BACKUP_AT:-02:30}"
keep_base="${BACKUP_KEEP_BASE:-2}"

run_once() {
  node /app/backend/dist/cli/backup.js || echo "backup: FAILED (exit $?)" >&2

  stamp=$(date -u +%Y%m%dT%H%M%SZ)
  if pg_basebackup --dbname="postgres://${PGUSER}@postgres:5432/cryptovault" -D "/base-backups/$stamp.partial" -Ft -z -X none --checkpoint=fast --label="cryptovault $stamp"; then
    mv "/base-backups/$stamp.partial" "/base-backups/$stamp"
    echo "base backup: /base-backups/$stamp"
  else
    echo "base backup: FAILED" >&2
    rm -rf "/base-backups/$stamp.partial"
    return
  fi
  # Keep the newest $keep_base base backups; WAL before the oldest kept one is no longer needed by any of them.
  ls -1d /base-backups/*Z 2>/dev/null | sort | head -n "-$keep_base" | xargs -r rm -rf
  oldest=$(ls -1d /base-backups/*Z | sort | head -n 1)
  label=$(ls -1 /wal-archive/*.backup 2>/dev/null | sort | while read -r f; do
    if grep -q "LABEL: cryptovault $(basename "$oldest")" "$f"; then basename "$f"; fi
  done | head -n 1)
  [ -n "$label" ] && pg_archivecleanup /wal-archive "$label"
}

while :; do
  run_once
  now=$(date -u +%s)
  next=$(date -u -d "today $at" +%s)
  [ "$next" -le "$now" ] && next=$(date -u -d "tomorrow $at" +%s)
  sleep $((next - now))
done
