# syntax=docker/dockerfile:1
# Multi-stage: compile with the dev dependencies, run with production ones only, as a non-root user.
# Node 24, the active LTS (Node 20 reached end of life in April 2026); .ci/run runs the suite on both.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM node:24-bookworm-slim AS runtime
# Memory, sized for a container of 256 MB (measured with `npm run bench` on Node 20, bench/README.md;
# the V8 flags are the same on Node 24 — re-measure there before changing them):
# - MALLOC_ARENA_MAX: glibc's per-thread malloc arenas fragment under load (RSS 265 MB against
#   168 MB with 2 arenas after the list load, same heap);
# - NODE_OPTIONS: young-generation semi-spaces of 32 MB, so that a request's rows die young instead
#   of being promoted while it waits on the database, and an old space of 128 MB (the live set is
#   ~40 MB): RSS peaks at ~175 MB under the list load instead of ~250 MB, at the same CPU per request.
# - --no-allocation-site-pretenuring (a V8 flag, so on the command line: NODE_OPTIONS refuses it):
#   after a burst of submissions V8 allocated the list's rows straight into the old space, and
#   the list then cost ~2.4 ms of CPU a page in mark-compacts (54 in 10 s) instead of ~1.5 ms.
# The benchmark starts the service with this ENV and these flags (bench/lib/service.ts reads them
# from here).
ENV NODE_ENV=production \
    MALLOC_ARENA_MAX=2 \
    NODE_OPTIONS="--max-semi-space-size=32 --max-old-space-size=128" \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/app/data
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY migrations ./migrations
COPY openapi ./openapi
# The web pages (/app) are served as they are, from the source tree.
COPY src/web/public ./src/web/public
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--no-allocation-site-pretenuring", "dist/src/server.js"]
