# syntax=docker/dockerfile:1
# CryptoVault backend: build with dev dependencies, run with production ones only.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.base.json ./
COPY backend/package.json backend/package.json
COPY e2e/package.json e2e/package.json
# The root's `ng` (a dev dependency linked from here): the lock file names it.
COPY frontend/scripts/ng frontend/scripts/ng
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY backend backend
# The build's input stamp (backend/scripts/build.mjs), shared with the web client's build.
COPY scripts/source-stamp.mjs scripts/source-stamp.mjs
RUN npm run build -w backend

FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY backend/package.json backend/package.json
COPY e2e/package.json e2e/package.json
COPY frontend/scripts/ng frontend/scripts/ng
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund -w backend \
 && npm rebuild bcrypt

FROM node:20-bookworm-slim
ENV NODE_ENV=production PORT=8000
WORKDIR /app
COPY --from=deps /app/node_modules node_modules
COPY --from=build /app/backend/dist backend/dist
COPY backend/package.json backend/package.json
COPY package.json ./
# The compiled-code cache of the started server (see backend/src/launcher.ts): backend/dist is root's, the server runs as node.
# /erasures: the erasure journal's volume (BACKUP_DIR in compose), written by the server.
RUN mkdir -p /app/.code-cache /erasures && chown node:node /app/.code-cache /erasures
ENV CODE_CACHE_DIR=/app/.code-cache
# The runtime settings (glibc's malloc, V8's heap limit; docs/CAPACITY.md "Memory") are backend/scripts/run.sh's, as
# `npm start` runs it; it execs node, which stays the container's main process and gets its signals.
COPY backend/scripts/run.sh backend/scripts/run.sh
USER node
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["sh", "backend/scripts/run.sh"]
