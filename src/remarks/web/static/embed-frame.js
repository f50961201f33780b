/* Inside the embed iframe: tell the embedding page how tall the comments are; exchange a
 * publisher's sign-on token (passed in the #fragment by embed.js) for a session, then reload. */
(function () {
  "use strict";
  var m = /^#sso=([^&]+)/.exec(window.location.hash);
  if (m && window.fetch) {
    history.replaceState(null, "", window.location.pathname + window.location.search);
    fetch("/api/v1/session/sso", {
      method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ token: decodeURIComponent(m[1]) })
    }).then(function (r) {
      if (r.ok) { window.location.reload(); return; }
      return r.json().then(function (e) {
        var box = document.querySelector(".embed-account");
        if (box) { var p = document.createElement("p"); p.className = "notice error"; p.setAttribute("role", "alert");
          p.textContent = (box.getAttribute("data-sso-failed") || "Sign-on failed:") + " " +
            ((e && e.error && e.error.message) || r.status); box.appendChild(p); }
      });
    });
  }
  function send() {
    if (window.parent === window) return;
    window.parent.postMessage({ remarks: "height", value: document.documentElement.scrollHeight }, "*");
  }
  window.addEventListener("load", send);
  if (window.ResizeObserver) new ResizeObserver(send).observe(document.body);
  document.addEventListener("toggle", send, true);
})();
