#!/usr/bin/env node
// The `keybridge` command: runs the TypeScript sources through tsx so a fresh clone works right after
// `npm ci`, with no build step.
require("tsx/cjs");
require("../src/cli/main.ts");
