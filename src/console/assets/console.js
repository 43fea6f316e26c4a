// keybridge console: the two things htmx does not do for us — trading an admin token for a session
// cookie (JSON to /admin/v1/session) and signing out. Served from /console/assets (CSP: 'self' only).

(() => {
  const csrfHeaders = () => {
    const raw = document.body.getAttribute("hx-headers");
    return raw ? JSON.parse(raw) : {};
  };

  const login = document.querySelector("form[data-login]");
  if (login) {
    login.addEventListener("submit", async (event) => {
      event.preventDefault();
      const error = document.getElementById("login-error");
      const token = login.querySelector("#token").value.trim();
      const res = await fetch("/admin/v1/session", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ token }),
        credentials: "same-origin",
      });
      if (res.status === 201) {
        window.location.assign("/console/persons");
        return;
      }
      error.textContent =
        res.status === 401
          ? "That token is not a valid admin token."
          : `Sign-in failed (HTTP ${res.status}).`;
      error.hidden = false;
    });
  }

  const signOut = document.querySelector("[data-sign-out]");
  if (signOut) {
    signOut.addEventListener("click", async () => {
      await fetch("/admin/v1/session", {
        method: "DELETE",
        headers: csrfHeaders(),
        credentials: "same-origin",
      });
      window.location.assign("/console/login");
    });
  }
})();
