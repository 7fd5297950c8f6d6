#!/bin/sh
# Mounted into postgres's /docker-entrypoint-initdb.d (docker/compose.yml): runs once, when the data volume is first
# initialised. Lets the compose network's backup service take base backups (pg_basebackup needs a replication
# connection) with the same password as every other connection. On a data volume made before this file existed, add
# the line by hand (docs/runbooks/disaster-recovery.md, "Point-in-time recovery").
set -e
echo "host replication ${POSTGRES_USER} all scram-sha-256" >> "$PGDATA/pg_hba.conf"
