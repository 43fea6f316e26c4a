// A grant the mappings say a person should hold: the output of mapping/ and the input of planning.

import type { WeeklySchedule, WeeklyWindow } from "../drivers/key-system-driver";

export type { WeeklyWindow };
/** A profile's weekly schedule: the driver contract's shape, so it reaches the driver unchanged. */
export type ProfileSchedule = WeeklySchedule;

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
