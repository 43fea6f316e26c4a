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
ENTRYPOINT ["node", "--disable-proto=throw", "bin/keybridge.js"]
CMD ["start"]
