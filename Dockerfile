# Backport Assistant as a container: `docker build -t backport-assistant .`
# Stage 1 installs every dependency (native modules build here), compiles TypeScript to lib/
# and drops the development dependencies; stage 2 is the runtime, as the unprivileged `node`
# user, with the git cache on a volume.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# Toolchain for better-sqlite3 when no prebuilt binary fits the platform.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts && npm rebuild better-sqlite3
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts/bundle-cli.mjs ./scripts/
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
# HOST: Probot listens on "localhost" unless told otherwise, which inside a container is
# ::1 only: published ports never reached the app and the HEALTHCHECK's 127.0.0.1 was refused.
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    BACKPORT_CACHE_DIR=/var/cache/backport-assistant
WORKDIR /app
COPY --from=build --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/lib ./lib
COPY --chown=root:root package.json app.yml ./
# The cache (and the embedded SQLite ledger, unless DATABASE_URL names PostgreSQL) lives on
# a volume the `node` user owns; the code stays read-only to it.
RUN mkdir -p /var/cache/backport-assistant && chown node:node /var/cache/backport-assistant
VOLUME ["/var/cache/backport-assistant"]
USER node
EXPOSE 3000
# Ready when the database answers (GET /healthz).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# The node flags of `npm start` (V8 memory settings: see the README, "Running the app").
CMD ["node", "--max-semi-space-size=4", "--liftoff-only", "lib/index.js"]
