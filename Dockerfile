# One image recipe for every Mallard service. The service is picked at build time:
#
#   docker build --build-arg SERVICE=orders -t mallard/orders .
#
# docker-compose.yml and deploy/k8s use one image per service, named mallard/<service>.
# All six images share every layer except the last few (see the ARG SERVICE below), so building
# the whole suite costs about as much as building one service.
#
# No compile step: services run their TypeScript through @swc-node/register, which compiles
# in-process at start. That is why @swc-node/register, @swc/core and typescript (a peer
# dependency of the register, so npm installs it with --omit=dev too) are runtime dependencies.

############################################################################################
# deps: production node_modules only, from the lockfile.
############################################################################################
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: no production dependency needs an install script. @swc/core's native
# binary arrives as an optional platform package (@swc/core-linux-x64-gnu, …), its
# postinstall only double-checks that; package.json "allowScripts" disables it as well.
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --ignore-scripts --no-audit --no-fund

############################################################################################
# runtime: node_modules + sources, run as the unprivileged "node" user (uid 1000).
############################################################################################
FROM node:20-bookworm-slim AS runtime
# Production: secrets must be the operator's own (a value written in the repo is refused) and
# the sandbox provider stays off. A container listens beyond its loopback (the services'
# default is 127.0.0.1); who reaches it is the network's business (compose publishes only the
# gateway, on the host's loopback; deploy/k8s/network-policies.yaml).
ENV NODE_ENV=production \
    HOST=0.0.0.0
WORKDIR /app

# Everything copied below stays owned by root and read-only for the process.
COPY --from=deps /app/node_modules ./node_modules
# tsconfig.json is copied besides tsconfig.base.json on purpose: @swc-node/register reads
# ./tsconfig.json (which extends the base) for the decorator options Nest needs and for the
# @mallard/* path aliases; without it neither would apply.
COPY package.json tsconfig.json tsconfig.base.json ./
COPY libs ./libs
COPY apps ./apps

# The service comes last so that all layers above are shared by the six images.
ARG SERVICE
ENV SERVICE=${SERVICE}

# Fail the build early on a missing or misspelt SERVICE, checked against the contracts' own
# service list, and record the service's default port for the HEALTHCHECK (PORT, when set at
# run time, wins; the service itself falls back to the same default from services.ts).
RUN set -eu; \
    if [ -z "${SERVICE}" ]; then echo "build with --build-arg SERVICE=<service name>" >&2; exit 1; fi; \
    test -f "apps/${SERVICE}/src/main.ts" || { echo "apps/${SERVICE}/src/main.ts not found" >&2; exit 1; }; \
    node --import @swc-node/register/esm-register --input-type=module -e " \
      const { SERVICES } = await import('./libs/contracts/src/services.ts'); \
      const service = SERVICES[process.env.SERVICE]; \
      if (!service) { console.error('unknown SERVICE', process.env.SERVICE); process.exit(1); } \
      (await import('node:fs')).writeFileSync('/app/.service-port', String(service.port)); \
    "; \
    rm -rf /tmp/swc-node-*

# after-sales keeps evidence files here (EVIDENCE_DIR); a named volume mounted on it takes this owner.
RUN mkdir -p /var/lib/mallard/evidence && chown node:node /var/lib/mallard/evidence

USER node

# Liveness only: an unhealthy mark here means "the process is wedged", not "Kafka is down".
# node:20-bookworm-slim has no curl, so the probe is a one-line fetch.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "const port = process.env.PORT || require('node:fs').readFileSync('/app/.service-port', 'utf8').trim(); fetch('http://127.0.0.1:' + port + '/health/live', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1));"]

# The shell only expands ${SERVICE}; exec hands PID 1 to node so it receives SIGTERM itself.
CMD ["/bin/sh", "-c", "exec node --enable-source-maps --import @swc-node/register/esm-register \"apps/${SERVICE}/src/main.ts\""]
