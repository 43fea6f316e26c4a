// Small mapping texts for tests: one key system, a few profiles, and rules written inline per test.
import type { SourceText } from "../../src/mapping/parse-mapping-documents";

export const SYSTEMS = `apiVersion: keybridge.io/v1
kind: KeySystem
id: locks
driver: memory
timeZone: Europe/Berlin
`;

export const PROFILES = `apiVersion: keybridge.io/v1
kind: Profile
name: office
keySystems:
  locks: { vendorRefs: [door-office] }
---
apiVersion: keybridge.io/v1
kind: Profile
name: plant
critical: true
keySystems:
  locks: { vendorRefs: [door-plant] }
---
apiVersion: keybridge.io/v1
kind: Profile
name: short
maxValidity: P7D
keySystems:
  locks: { vendorRefs: [door-short] }
`;

/** The fixed systems and profiles plus the given rules file. */
export function sources(rules: string): SourceText[] {
  return [
    { file: "m/systems.yaml", text: SYSTEMS },
    { file: "m/profiles.yaml", text: PROFILES },
    { file: "m/rules.yaml", text: rules },
  ];
}

export function rule(name: string, body: string): string {
  return `apiVersion: keybridge.io/v1\nkind: Rule\nname: ${name}\n${body.trim()}\n`;
}
