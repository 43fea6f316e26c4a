#!/usr/bin/env -S node --disable-proto=throw
// The `keybridge` command: runs the TypeScript sources through tsx so a fresh clone works right after
// `npm ci`, with no build step. `__proto__` is disabled before anything else loads (disable-proto.js).
require("./disable-proto");
require("tsx/cjs");
require("../src/cli/main.ts");
