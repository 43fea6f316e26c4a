// yieldToEventLoop must let due timers run even when called where an awaited Redis reply resumes a
// request (an I/O callback): otherwise the stages of a 10,000-member PATCH still form one block
// (issue #9 item 3), because one setImmediate from there runs before the loop reaches its timers.
import { readFile } from "node:fs";
import { yieldToEventLoop } from "../../src/store/yield-to-event-loop";

/** Runs `body` inside an I/O callback (the poll phase), as code resumed by a socket reply does. */
function inIoCallback<T>(body: () => Promise<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    readFile(__filename, () => {
      body().then(resolve, reject);
    });
  });
}

/** Spins until `ms` have passed, so a timer set before is due (not a timing assertion). */
function busy(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {}
}

test("a timer that fell due during a synchronous stage runs at the yield, from an I/O callback", async () => {
  const fired = await inIoCallback(async () => {
    let timerRan = false;
    setTimeout(() => {
      timerRan = true;
    }, 0);
    busy(5);
    await yieldToEventLoop();
    return timerRan;
  });
  expect(fired).toBe(true);
});

test("a timer that fell due during a synchronous stage runs at the yield, from a timer", async () => {
  const fired = await new Promise<boolean>((resolve) => {
    setTimeout(async () => {
      let timerRan = false;
      setTimeout(() => {
        timerRan = true;
      }, 0);
      busy(5);
      await yieldToEventLoop();
      resolve(timerRan);
    }, 0);
  });
  expect(fired).toBe(true);
});
