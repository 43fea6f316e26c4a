// The sections of the evidence report's HTML (pure): tables with every value escaped. Kept apart
// from the page frame (render-evidence-html.ts) so each stays short.
import type { EvidenceIdentity } from "./evidence-facts";
import type { EvidenceReport } from "./evidence-report";
import { formatDuration } from "./format-duration";
import { escapeHtml as e } from "./html-escape";

const who = (i: EvidenceIdentity) =>
  `${e(i.userName ?? "(not recorded)")}${i.externalId ? `<br><small>externalId ${e(i.externalId)}</small>` : ""}<br><small>id ${e(i.personId)}</small>`;

const dur = (ms: number | undefined) => (ms === undefined ? "" : e(formatDuration(ms)));

function table(caption: string, head: string[], rows: string[][], empty: string): string {
  if (rows.length === 0) return `<p class="empty">${e(empty)}</p>`;
  const th = head.map((h) => `<th scope="col">${e(h)}</th>`).join("");
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join("")}</tr>`).join("\n");
  return `<table><caption>${e(caption)}</caption><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

export function figuresSection(r: EvidenceReport): string {
  const f = r.figures;
  const t = f.terminations;
  const share = t.within24hPercent === undefined ? "n/a" : `${t.within24hPercent}%`;
  const items: Array<[string, string, string]> = [
    ["grants", "Grants in the window", `${f.grants.total} (${f.grants.effective} effective)`],
    [
      "revocations",
      "Revocations in the window",
      `${f.revocations.total} (${f.revocations.effective} effective)`,
    ],
    ["terminations", "Terminations (with access to remove)", `${t.total} (${t.withAccess})`],
    ["within24h", "Access removed within 24 h of termination", `${share} (${t.within24h} of ${t.decided})`],
    [
      "maxclock",
      "Longest termination clock",
      t.maxClockMs === undefined ? "n/a" : formatDuration(t.maxClockMs),
    ],
    ["open", "Open after 24 h / not yet due", `${t.open} / ${t.notYetDue}`],
  ];
  const dl = items
    .map(([id, label, value]) => `<div><dt>${e(label)}</dt><dd data-figure="${id}">${e(value)}</dd></div>`)
    .join("\n");
  return `<section id="figures"><h2>Summary figures</h2><dl class="figures">\n${dl}\n</dl></section>`;
}

export function frameworksSection(r: EvidenceReport): string {
  const parts = r.frameworks.map(
    (s) =>
      `<article><h3>${e(s.framework)} ${e(s.requirement)}</h3><p class="asks">${e(s.asks)}</p><ul>${s.evidence
        .map((line) => `<li>${e(line)}</li>`)
        .join("")}</ul></article>`,
  );
  return `<section id="frameworks"><h2>Evidence by framework</h2><p>This report states evidence; it does not claim compliance.</p>${parts.join("\n")}</section>`;
}

export function terminationsSection(r: EvidenceReport): string {
  const rows = r.terminations.map((t) => [
    who(t.identity),
    e(t.startedAt),
    e([...t.kinds, ...t.signals].join(", ")),
    e(t.revocations.length),
    e(t.outcome),
    dur(t.clockMs),
    t.within24h === undefined ? "" : t.within24h ? "yes" : "<strong>no</strong>",
    e(t.worstExposureUntil),
  ]);
  const head = [
    "Person",
    "Termination action",
    "Kind",
    "Revocations",
    "Outcome",
    "Clock",
    "≤ 24 h",
    "Worst exposureUntil",
  ];
  return `<section id="terminations"><h2>Terminations: clock to revocation effective</h2>${table("Terminations", head, rows, "No termination in the window.")}</section>`;
}

export function changesSection(r: EvidenceReport): string {
  const rows = r.changes.map((c) => [
    who(c.identity),
    e(c.action),
    `${e(c.system)}<br>${e(c.profile)}`,
    e(c.rules.join(", ")),
    e(c.requestedAt),
    e(c.effectiveAt),
    dur(c.toEffectiveMs),
    e(c.exposureUntil),
    e(c.state),
    e(c.firstSeq),
  ]);
  const head = [
    "Person",
    "Action",
    "Key system / profile",
    "Rule",
    "Requested",
    "Effective",
    "Requested → effective",
    "exposureUntil",
    "State",
    "Seq",
  ];
  return `<section id="changes"><h2>Grants and revocations in the window</h2>${table("Grants and revocations", head, rows, "No grant or revocation in the window.")}</section>`;
}

export function registerSection(r: EvidenceReport): string {
  if (!r.register)
    return `<section id="register"><h2>Register of current access</h2><p class="empty">Not included: this report was built from an audit export, which records changes, not the current state.</p></section>`;
  const rows = r.register.rows.map((row) => [
    who(row.identity),
    `${e(row.system)}<br>${e(row.profile)}`,
    e(`${row.action} ${row.state}`),
    row.rules
      .map((rule) => `${e(rule.name)}${rule.description ? `<br><small>${e(rule.description)}</small>` : ""}`)
      .join("<br>"),
    e(row.since),
    e(row.exposureUntil),
  ]);
  const head = ["Person", "Key system / profile", "State", "Justifying rule", "Since", "exposureUntil"];
  return `<section id="register"><h2>Register of current access</h2><p>Source: ${e(r.register.source)}, read at ${e(r.register.asOf)}. Not part of the audit export.</p>${table("Register", head, rows, "Nobody holds access.")}</section>`;
}

export function boundsSection(r: EvidenceReport): string {
  const rows = r.offlineBounds.map((b) => [
    e(b.system),
    e(b.driver),
    e(b.setting),
    b.seconds === null ? "<strong>unbounded</strong>" : dur(b.seconds * 1000),
    e(b.note),
  ]);
  const head = ["Key system", "Driver", "Setting", "Bound", "Meaning"];
  return `<section id="offline"><h2>Worst-case bound for offline keys</h2><p>From the key systems' configuration at report time.</p>${table("Offline bounds", head, rows, "No key system configured.")}</section>`;
}

export function chainSection(r: EvidenceReport): string {
  const w = r.chain.window;
  const live = r.chain.live;
  const liveText = !live
    ? "Whole-chain verification not run (report built from an export; run <code>keybridge audit verify</code> or the checker in docs/audit.md)."
    : live.ok
      ? `Whole chain verified: ${e(live.count)} records, head <code>${e(live.head.seq)}:${e(live.head.hash)}</code>.`
      : `<strong>Whole chain verification failed</strong> at seq ${e(live.firstBad?.seq)} (${e(live.firstBad?.problem)}).`;
  return `<section id="chain"><h2>Audit chain</h2><ul>
<li data-figure="chain-window">${e(w.records)} records in the window; ${e(w.badHashes.length)} with a bad hash; ${e(w.brokenLinks.length)} broken links.</li>
<li>Window anchor: <code>${e(w.lastSeq)}:${e(w.lastHash)}</code>; first prevHash <code>${e(w.firstPrevHash)}</code>.</li>
<li data-figure="chain-live">${liveText}</li></ul></section>`;
}
