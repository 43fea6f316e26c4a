// The System Log poller and the hook receivers read Okta events through one translation: an event
// whose ids no apply could succeed on must become no signal there, or the poller re-reads its page
// (and the inbox retries its head) for good, holding up every later leaver of the tenant.
import { oktaEventToSignal } from "../../src/signals/okta-event-kinds";
import { MAX_SIGNAL_ID_LENGTH } from "../../src/signals/signal-bounds";

const at = new Date("2026-12-07T20:00:00Z");
const event = (uuid: string, userId: string) => ({
  uuid,
  eventType: "user.lifecycle.deactivate",
  published: "2026-12-07T19:59:00Z",
  target: [{ type: "User", id: userId }],
});

test("an Okta event with a lone surrogate or an over-long id is no signal; an ordinary one is", () => {
  expect(oktaEventToSignal("t", "okta-log", event("e-1", "00u1"), at)).toMatchObject({ subject: "00u1" });
  expect(oktaEventToSignal("t", "okta-log", event("e-\ud800", "00u1"), at)).toBeNull();
  expect(oktaEventToSignal("t", "okta-log", event("e-2", "00u\udfff"), at)).toBeNull();
  expect(
    oktaEventToSignal("t", "okta-log", event("e-3", "x".repeat(MAX_SIGNAL_ID_LENGTH + 1)), at),
  ).toBeNull();
  // A well-formed pair outside the BMP is an ordinary character.
  expect(oktaEventToSignal("t", "okta-log", event("e-\ud83d\udd11", "00u1"), at)).not.toBeNull();
});
