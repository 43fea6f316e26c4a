// Runs the CLIQ fake stand-alone (`keybridge simulate cliq [--port N] [--plain]`) and says how to reach it.
import { pkiPath } from "./cliq-fake-pki";
import { type CliqFake, startCliqFake } from "./cliq-fake-server";

export interface CliqSimulatorOptions {
  port?: number;
  /** Plain HTTP instead of HTTPS with a required client certificate. */
  plain?: boolean;
  host?: string;
}

/** Starts the fake and returns it with a banner of URLs, certificate files and control-plane calls. */
export async function startCliqSimulator(
  options: CliqSimulatorOptions = {},
): Promise<{ fake: CliqFake; banner: string }> {
  const fake = await startCliqFake({ tls: !options.plain, port: options.port, host: options.host });
  const curlTls = options.plain
    ? ""
    : ` --cacert ${pkiPath("ca.pem")} --cert ${pkiPath("client.pem")} --key ${pkiPath("client.key")}`;
  const banner = [
    `CLIQ fake ("CWM-like v0", every wire detail inferred) listening on ${fake.origin}`,
    `  vendor surface: ${fake.baseUrl}`,
    options.plain
      ? "  transport: plain HTTP (no client certificate)"
      : "  transport: HTTPS, client certificate required",
    options.plain
      ? ""
      : `  API certificate: ${pkiPath("client.pem")} + ${pkiPath("client.key")}; CA ${pkiPath("ca.pem")}`,
    `  try: curl${curlTls} ${fake.baseUrl}/keys?status=in_stock`,
    `  control plane: POST ${fake.origin}/__fake/keyInsertedInRemotePD {"keyId":"key-d1"} | cylinderProgrammed | keyUsed | advanceClock | faults; GET journal | state`,
  ]
    .filter((l) => l !== "")
    .join("\n");
  return { fake, banner };
}
