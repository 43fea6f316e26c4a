// Jest runs TypeScript through ts-jest in transpile-only mode; `npm run typecheck` is the type gate.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>"],
  testPathIgnorePatterns: ["/node_modules/", "/data/"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { diagnostics: false }] },
  testTimeout: 30000,
  maxWorkers: 2,
  // Tests run with `__proto__` disabled, as every keybridge process does (bin/disable-proto.js).
  setupFiles: ["<rootDir>/bin/disable-proto.js"],
};
