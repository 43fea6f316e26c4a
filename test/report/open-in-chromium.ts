// Opens a local HTML file in Debian's headless Chromium through playwright-core (nothing downloaded):
// the way an auditor's browser would show the evidence report, and what it prints.
import { pathToFileURL } from "node:url";
import { chromium, type Page } from "playwright-core";

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export interface OpenedPage {
  page: Page;
  /** Every URL the page asked for (the report must need nothing but itself). */
  requests: string[];
  close(): Promise<void>;
}

export async function openInChromium(file: string): Promise<OpenedPage> {
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
  const page = await browser.newPage();
  const requests: string[] = [];
  page.on("request", (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(file).href);
  return { page, requests, close: () => browser.close() };
}
