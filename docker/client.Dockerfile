# syntax=docker/dockerfile:1
# CryptoVault web client: the Angular build, served by nginx, which also proxies /api, /ws, /health
# and /docs to the API replicas (docker/nginx.conf). Build context: the repository root.
FROM node:20-bookworm-slim AS build
WORKDIR /app/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
# The Angular workspace file is at the repository root (its project lives in frontend/).
COPY angular.json /app/angular.json
# The SDK in src/app/api is generated from openapi.json and committed; the build uses it as is.
# `npm run build`: ng build (production) and the gzip budget check on the initial JavaScript.
RUN npm run build

FROM nginx:1.27-bookworm
COPY docker/nginx.conf /etc/nginx/conf.d/default.conf
COPY --from=build /app/frontend/dist/frontend/browser /usr/share/nginx/html
EXPOSE 80
HEALTHCHECK --interval=10s --timeout=3s CMD ["curl", "-fsS", "http://127.0.0.1/index.html", "-o", "/dev/null"]
