// Behind a TLS proxy keybridge sees plain HTTP: the session cookie must still be marked Secure when the
// configured public URL is https, or a browser would send it over any plain-HTTP link to that host.
import { type AdminHarness, startAdminHarness } from "../admin/admin-harness";

async function sessionCookie(h: AdminHarness): Promise<string> {
  const res = await fetch(`${h.base}/admin/v1/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ token: h.tokens.viewer }),
  });
  expect(res.status).toBe(201);
  return res.headers.get("set-cookie") ?? "";
}

test("the session cookie is Secure when publicBaseUrl is https, even over the proxy's plain HTTP", async () => {
  const h = await startAdminHarness({ publicBaseUrl: "https://keybridge.example.org" });
  try {
    const cookie = await sessionCookie(h);
    expect(cookie).toMatch(/kb_admin_session=/);
    expect(cookie).toMatch(/;\s*Secure/i);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
  } finally {
    await h.close();
  }
}, 30_000);

test("without an https public URL, plain-HTTP loopback gets a cookie it can send back", async () => {
  const h = await startAdminHarness();
  try {
    expect(await sessionCookie(h)).not.toMatch(/;\s*Secure/i);
  } finally {
    await h.close();
  }
}, 30_000);
