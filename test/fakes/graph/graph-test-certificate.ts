// A throw-away self-signed certificate and key for an app registration's certificate credential, made by
// openssl in a temporary directory (nothing is checked in that could be mistaken for a real credential).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TestCertificate {
  certificatePem: string;
  privateKeyPem: string;
}

export function makeTestCertificate(commonName = "keybridge-graph-test"): TestCertificate {
  const dir = mkdtempSync(join(tmpdir(), "kb-graph-cert-"));
  try {
    const key = join(dir, "key.pem");
    const cert = join(dir, "cert.pem");
    execFileSync(
      "openssl",
      ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", `/CN=${commonName}`, "-days", "2"].concat([
        "-keyout",
        key,
        "-out",
        cert,
      ]),
      { stdio: "ignore" },
    );
    return { certificatePem: readFileSync(cert, "utf8"), privateKeyPem: readFileSync(key, "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
