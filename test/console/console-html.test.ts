// The console's output safety rules, as pure functions: every interpolated value is
// escaped, and CSV cells cannot run as spreadsheet formulas.
import { auditCsvRow } from "../../src/audit/audit-csv";
import { csvCell } from "../../src/audit/csv-cell";
import type { AuditRecord } from "../../src/audit/audit-record";
import { html } from "../../src/console/html";

describe("console HTML", () => {
  it("escapes interpolated values, including inside attributes and arrays", () => {
    const evil = `"><script>alert('x')</script>`;
    const out = html`<a title="${evil}">${[evil, 1]}</a>`.text;
    expect(out).not.toContain("<script>");
    expect(out).toBe(
      '<a title="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;">&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;1</a>',
    );
  });

  it("keeps fragments built by html as markup (escaped once, not twice)", () => {
    const inner = html`<b>${"a&b"}</b>`;
    expect(html`<p>${inner}</p>`.text).toBe("<p><b>a&amp;b</b></p>");
  });
});

describe("audit CSV", () => {
  it("quotes separators and defuses formula cells", () => {
    expect(csvCell('a,"b"')).toBe('"a,""b"""');
    expect(csvCell("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvCell("-1+2")).toBe("'-1+2");
    expect(csvCell(undefined)).toBe("");
  });

  it("writes one row per record with data as a JSON cell", () => {
    const record = {
      v: 1,
      seq: 7,
      time: "2026-01-01T00:00:00.000Z",
      type: "operator.reconcile_requested",
      tenant: "t",
      actor: "operator:olga",
      subject: { kind: "person", id: "p1" },
      reason: "INC-1, checked",
      outcome: "success",
      data: { systems: { a: 1 } },
      prevHash: "0",
      hash: "h",
    } as AuditRecord;
    expect(auditCsvRow(record)).toBe(
      '7,2026-01-01T00:00:00.000Z,operator.reconcile_requested,t,operator:olga,person,p1,"INC-1, checked",success,,"{""systems"":{""a"":1}}",h\r\n',
    );
  });
});
