# syntax=docker/dockerfile:1
# Build: compile TypeScript with the dev dependencies.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
# the build compiles every route's schemas ahead of time (generated/) from the app itself: it reads data/
COPY src ./src
COPY scripts ./scripts
COPY data ./data
COPY generated ./generated
# and bundles the CLI into dist/cli/sizing.mjs, the service into dist/service/ and the capacity-review
# page (web/) into dist/web/ (bin/bundle.js)
COPY bin ./bin
COPY web ./web
RUN npm run build

# Runtime: production dependencies, the compiled service and its data; no npm at PID 1.
FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    METRICS_PORT=9090
WORKDIR /app
COPY package.json package-lock.json ./
# npm's cache, its logs and its compile cache stay out of the image
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force && rm -rf /root/.npm /tmp/node-compile-cache
COPY --from=build /app/dist ./dist
COPY --from=build /app/generated ./generated
COPY data ./data
# the sizing command: docker run --rm <image> sizing estimate engram --expected-nodes 2e6
COPY bin ./bin
RUN ln -s /app/bin/sizing.js /usr/local/bin/sizing
# numeric (the base image's node user, 1000:1000): Kubernetes can verify runAsNonRoot only against a
# numeric user (the chart sets runAsUser 1000 as well; test/chart.test.ts compares the two)
USER 1000:1000
EXPOSE 8080 9090
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# the service bundle (one file to load: a cold start in a third of the time of dist/server.js)
CMD ["node", "dist/service/server.js"]
