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
# A `.gz` (and `.br`) copy beside each text file, which nginx's gzip_static sends to browsers that take gzip.
RUN node scripts/precompress.mjs

FROM nginx:1.27-bookworm
# A template: at start the entrypoint writes conf.d/default.conf with the certificate paths and the HTTPS port
# from the NGINX_* environment (see docker/compose.yml); only those variables are substituted.
ENV NGINX_ENVSUBST_FILTER="^NGINX_(TLS_CERTIFICATE|HTTPS_PORT)" \
    NGINX_HTTPS_PORT=443 \
    NGINX_TLS_CERTIFICATE=/etc/nginx/tls/fullchain.pem \
    NGINX_TLS_CERTIFICATE_KEY=/etc/nginx/tls/privkey.pem
COPY docker/nginx.conf /etc/nginx/templates/default.conf.template
COPY --from=build /app/frontend/dist/frontend/browser /usr/share/nginx/html
EXPOSE 80 443
# Over TLS (plain HTTP only redirects); -k: the certificate names the public host, not 127.0.0.1.
HEALTHCHECK --interval=10s --timeout=3s CMD ["curl", "-fsSk", "https://127.0.0.1/index.html", "-o", "/dev/null"]
