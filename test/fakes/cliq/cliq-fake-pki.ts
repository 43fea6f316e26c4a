// Paths and contents of the committed CLIQ test PKI (generated once by pki/generate.sh).
import { readFileSync } from "node:fs";
import { join } from "node:path";

export const CLIQ_PKI_DIR = join(__dirname, "pki");

export type ClientCertName = "client" | "expired-client" | "unknown-ca-client" | "stranger-client";

export function pkiPath(file: string): string {
  return join(CLIQ_PKI_DIR, file);
}

export function readPki(file: string): string {
  return readFileSync(pkiPath(file), "utf8");
}

/** PEM cert + key of one of the test client certificates. */
export function clientCertPaths(name: ClientCertName): { certFile: string; keyFile: string } {
  return { certFile: pkiPath(`${name}.pem`), keyFile: pkiPath(`${name}.key`) };
}
