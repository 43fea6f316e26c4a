// The login page: an operator pastes an admin token; console.js trades it for the admin API's session
// cookie (POST /admin/v1/session) — the token itself is never stored in the browser.
import type { Request, Response } from "express";
import { html } from "./html";
import { renderPage } from "./layout";

export function loginPage() {
  return (_req: Request, res: Response): void => {
    const body = html`<form id="login" class="stack" method="post" action="#" data-login>
      <label for="token">Admin token</label>
      <input id="token" name="token" type="password" autocomplete="off" required spellcheck="false"
        aria-describedby="token-hint">
      <p id="token-hint" class="hint">Created with <code>keybridge admin token create --name &lt;you&gt; --role viewer|operator|admin</code>.
        The token opens a session of 8 hours; it is not kept in the browser.</p>
      <button type="submit">Sign in</button>
      <p id="login-error" role="alert" class="notice error" hidden></p>
    </form>`;
    res.type("html").send(renderPage({ title: "Sign in" }, body));
  };
}
