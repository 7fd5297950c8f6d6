# syntax=docker/dockerfile:1
# The `backup` service of docker/compose.yml: `npm run backup`'s CLI (backend/dist/cli/backup.js) beside the
# PostgreSQL 17 client programs of the postgres:17 image (pg_dump must be at least the server's major version),
# plus pg_basebackup for the point-in-time-recovery base backups (docker/backup/schedule.sh).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.base.json ./
COPY backend/package.json backend/package.json
COPY e2e/package.json e2e/package.json
COPY frontend/scripts/ng frontend/scripts/ng
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY backend backend
RUN npm run build -w backend

FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY backend/package.json backend/package.json
COPY e2e/package.json e2e/package.json
COPY frontend/scripts/ng frontend/scripts/ng
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund -w backend

FROM node:20-bookworm-slim AS node

# Same Debian (bookworm) as the node image, so its node binary runs here as it is.
FROM postgres:17-bookworm
COPY --from=node /usr/local/bin/node /usr/local/bin/node
WORKDIR /app
COPY --from=deps /app/node_modules node_modules
COPY --from=build /app/backend/dist backend/dist
COPY backend/package.json backend/package.json
COPY package.json ./
COPY docker/backup/schedule.sh /usr/local/bin/cryptovault-backup-schedule
# Owned by postgres, so the named volumes mounted here start writable for it.
RUN mkdir -p /backups /base-backups /wal-archive && chown postgres:postgres /backups /base-backups /wal-archive
ENV PG_DUMP=/usr/lib/postgresql/17/bin/pg_dump PG_RESTORE=/usr/lib/postgresql/17/bin/pg_restore
USER postgres
ENTRYPOINT ["/usr/local/bin/cryptovault-backup-schedule"]
