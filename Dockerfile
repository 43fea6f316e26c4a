# keybridge runs its TypeScript sources through tsx; no build step.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY bin ./bin
COPY src ./src
COPY connectors ./connectors
COPY mappings ./mappings
COPY tsconfig.json ./
USER node
EXPOSE 8080
# Liveness only (/healthz: the process answers). /readyz (Redis, workers, no paused key system) is for
# orchestrators and alerting: a restart would not fix what it reports.
HEALTHCHECK --interval=15s --timeout=3s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "--disable-proto=throw", "bin/keybridge.js"]
CMD ["start"]
