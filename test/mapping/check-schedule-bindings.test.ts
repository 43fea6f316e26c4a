// A scheduled profile is refused where its schedule cannot be kept: on a key system whose driver cannot
// enforce schedules (it would open around the clock) or whose lock-local zone differs (file and line).
import { parseMappingSources } from "../../src/mapping/load-mappings";
import { formatProblem, isMappingError } from "../../src/mapping/mapping-error";
import { driverCanSchedule } from "../../src/runtime/build-drivers";

const systems = `apiVersion: keybridge.io/v1
kind: KeySystem
id: hq
driver: iloq
timeZone: Europe/Berlin
---
apiVersion: keybridge.io/v1
kind: KeySystem
id: subs
driver: cliq
timeZone: Europe/Berlin
`;

const profile = (zone: string, system: string) => `apiVersion: keybridge.io/v1
kind: Profile
name: control-room
schedule:
  timeZone: ${zone}
  windows:
    - days: [mon, tue]
      start: "06:00"
      end: "22:00"
keySystems:
  ${system}:
    vendorRefs: [ref-1]
`;

function problems(profileText: string, canSchedule = driverCanSchedule): string[] {
  try {
    parseMappingSources(
      [
        { file: "m/systems.yaml", text: systems },
        { file: "m/profiles.yaml", text: profileText },
      ],
      { canSchedule },
    );
    return [];
  } catch (err) {
    if (!isMappingError(err)) throw err;
    return err.problems.map(formatProblem);
  }
}

it("accepts a schedule on an iLOQ system in the system's zone", () => {
  expect(problems(profile("Europe/Berlin", "hq"))).toEqual([]);
});

it("refuses a scheduled profile on a system whose driver declares no schedule support, naming the line", () => {
  const found = problems(profile("Europe/Berlin", "subs"), (d) => d !== "cliq" && driverCanSchedule(d));
  expect(found).toEqual([
    'm/profiles.yaml:11: Profile/control-room.keySystems.subs: key system "subs" (driver cliq) cannot enforce schedules: this scheduled profile would open around the clock there',
  ]);
});

it("refuses a schedule in another zone than the key system's lock-local time", () => {
  const found = problems(profile("Europe/Helsinki", "hq"));
  expect(found).toHaveLength(1);
  expect(found[0]).toMatch(
    /^m\/profiles\.yaml:5: Profile\/control-room\.schedule\.timeZone: schedule is in Europe\/Helsinki/,
  );
});

it("the example mappings pass the check", () => {
  const { loadMappingsForDrivers } = require("../../src/runtime/build-drivers");
  expect(() => loadMappingsForDrivers("mappings")).not.toThrow();
});
