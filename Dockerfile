# syntax=docker/dockerfile:1
# Dropboard's image: the server (default), the agent (`collect`) and migrations (`migrate`) from one
# image, on Next.js' standalone output. No dev dependency and no source tree in the final stage: the
# build stage lays out /app with scripts/image/assemble.ts, which the image test runs the same way.
#   docker build -t dropboard:0.1.0 .
#   docker run -e DATABASE_URL=postgresql://... dropboard:0.1.0 migrate
#   docker run -e DATABASE_URL=postgresql://... -p 3000:3000 --read-only --tmpfs /tmp \
#     --tmpfs /app/.next-image/cache:uid=10001 dropboard:0.1.0
#   docker run dropboard:0.1.0 collect --server http://dropboard:3000 --token "$T" --hubble-relay hubble-relay.kube-system.svc:80
# NODE_IMAGE: any Debian-based image with Node.js 20.18 or later (the build stage also needs npm).
ARG NODE_IMAGE=docker.io/library/node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
ENV NEXT_TELEMETRY_DISABLED=1 CI=true
# Dependencies first, so a source change reuses this layer. postinstall generates the Prisma client.
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
COPY scripts/generate.ts ./scripts/generate.ts
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx tsx scripts/image/assemble.ts /app

FROM ${NODE_IMAGE} AS runtime
# npm is not needed to run: fewer files, fewer CVEs to track.
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack /opt/yarn* /usr/local/bin/yarn /usr/local/bin/yarnpkg
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000 HOST=0.0.0.0
WORKDIR /app
# Owned by root and read-only to the user that runs it; only Next's cache directory is its own
# (mount an emptyDir there, and at /tmp, with a read-only root file system).
COPY --from=build /app /app
RUN mkdir -p /app/.next-image/cache && chown 10001:10001 /app/.next-image/cache
USER 10001:10001
EXPOSE 3000 9464
# Node is PID 1 with no shell in between: SIGTERM reaches the server's or the collector's handlers.
ENTRYPOINT ["node", "/app/entrypoint.mjs"]
CMD ["server"]
