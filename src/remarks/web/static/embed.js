/* remarks embed: add to an article page
 *   <div id="remarks-comments"></div>
 *   <script src="https://COMMENTS-HOST/static/embed.js" data-article="ARTICLE-ID" data-title="Title"
 *           data-site="SITE" async></script>
 * data-site names your site when one installation serves several (`remarks site add SITE`); left out, the
 * article belongs to the default site (or to the site whose CMS sent it with the publisher API).
 * The comments live in an iframe, so the page's own CSS cannot break them (nor theirs the page).
 * Single sign-on: add data-sso-token="JWT" (signed by your CMS for the logged-in reader, see docs/deploy.md);
 * it travels in the frame's #fragment (never sent to a server in a URL) and is exchanged there for a session. */
(function () {
  "use strict";
  var script = document.currentScript || document.querySelector("script[data-article][src*='embed.js']");
  if (!script) return;
  var origin = new URL(script.src).origin;
  var article = script.getAttribute("data-article");
  if (!article) { console.error("remarks: data-article is missing"); return; }
  var src = origin + "/embed/" + encodeURIComponent(article);
  var query = [];
  var title = script.getAttribute("data-title");
  if (title) query.push("title=" + encodeURIComponent(title));
  var site = script.getAttribute("data-site");
  if (site) query.push("site=" + encodeURIComponent(site));
  if (query.length) src += "?" + query.join("&");
  var sso = script.getAttribute("data-sso-token");
  if (sso) src += "#sso=" + encodeURIComponent(sso);
  var frame = document.createElement("iframe");
  frame.src = src;
  frame.title = "Comments";
  frame.setAttribute("loading", "lazy");
  frame.setAttribute("scrolling", "no");
  frame.style.cssText = "width:100% !important;border:0 !important;min-height:320px;display:block !important;";
  var target = document.getElementById(script.getAttribute("data-target") || "remarks-comments");
  if (target) target.appendChild(frame); else script.parentNode.insertBefore(frame, script.nextSibling);
  window.addEventListener("message", function (e) {
    if (e.origin !== origin || e.source !== frame.contentWindow) return;
    if (e.data && e.data.remarks === "height") frame.style.height = Math.ceil(e.data.value) + "px";
  });
})();
