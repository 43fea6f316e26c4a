// The worst-case bound for offline keys per key system (pure), from the key systems' driver options:
// how long a key still in a leaver's pocket can open a door when no programming reaches it
// (key-systems.md §1.3 and the `freshnessPolicy` note: CLIQ revalidation, iLOQ OfflineExpirationSeconds).

export interface OfflineBound {
  system: string;
  driver: string;
  /** The driver option the bound comes from (`keySystems.<id>.options.<setting>`). */
  setting: string;
  /** The bound in seconds; null when the setting is absent and nothing bounds the exposure. */
  seconds: number | null;
  note: string;
}

const DAY_S = 86_400;

const num = (v: unknown): number | undefined => (typeof v === "number" && v > 0 ? v : undefined);

function cliqBounds(system: string, options: Record<string, unknown>): OfflineBound[] {
  const days = num(options.revalidationDays);
  return [
    {
      system,
      driver: "cliq",
      setting: "revalidationDays",
      seconds: days === undefined ? null : days * DAY_S,
      note:
        days === undefined
          ? "No revalidation interval configured: a key not handed in opens until its validity ends."
          : "A key not revalidated within this interval stops opening (CLIQ revalidation).",
    },
  ];
}

function iloqBounds(system: string, options: Record<string, unknown>): OfflineBound[] {
  const phone = num(options.offlineExpirationSeconds);
  // blocklistPropagationHours defaults to 72 in the iLOQ driver's options (iloq-options.ts).
  const blocklistHours = num(options.blocklistPropagationHours) ?? 72;
  return [
    {
      system,
      driver: "iloq",
      setting: "offlineExpirationSeconds",
      seconds: phone ?? null,
      note:
        phone === undefined
          ? "No offline expiry configured for phone keys: the app opens offline until it next syncs."
          : "A phone key that cannot sync stops opening after this time (iLOQ OfflineExpirationSeconds).",
    },
    {
      system,
      driver: "iloq",
      setting: "blocklistPropagationHours",
      seconds: blocklistHours * 3_600,
      note: "Estimate for a blocked fob key's blocklist to reach the locks (the exposureUntil of a blocked key).",
    },
  ];
}

/** One or more bounds per key system; online or simulated systems state that they have none. */
export function offlineBounds(
  systems: Array<{ id: string; driver: string }>,
  options: (system: string) => Record<string, unknown>,
): OfflineBound[] {
  return systems.flatMap(({ id, driver }) => {
    if (driver === "cliq") return cliqBounds(id, options(id));
    if (driver === "iloq") return iloqBounds(id, options(id));
    return [{ system: id, driver, setting: "-", seconds: 0, note: "Simulated key system: no offline keys." }];
  });
}
