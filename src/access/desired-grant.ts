// A grant the mappings say a person should hold: the output of mapping/ and the input of planning.

/** A weekly time window in the profile's time zone (minutes since midnight, 15-minute grid). */
export interface WeeklyWindow {
  days: Array<"mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun">;
  startMinute: number;
  endMinute: number;
}

export interface ProfileSchedule {
  timeZone: string;
  windows: WeeklyWindow[];
}

export interface DesiredGrant {
  /** Key system id (from the mappings). */
  system: string;
  /** Logical profile name (from the mappings). */
  profile: string;
  /** Vendor references of the profile in that key system (opaque to everything but the driver). */
  vendorRefs: string[];
  /** ISO 8601 UTC; absent means "from now". */
  notBefore?: string;
  /** ISO 8601 UTC; absent means open-ended. */
  notAfter?: string;
  schedule?: ProfileSchedule;
  critical: boolean;
  /** Names of the rules that justify this grant (at least one). */
  reasons: string[];
}
