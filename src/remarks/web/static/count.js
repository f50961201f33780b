/* remarks comment counts for list pages: put
 *   <span data-remarks-count="ARTICLE-ID"></span>
 * anywhere, and once on the page
 *   <script src="https://COMMENTS-HOST/static/count.js" async></script>
 * Each span gets the number of published comments (its data-remarks-count-one / -many attributes,
 * e.g. "{n} comment" / "{n} comments", turn it into words). One request for up to 100 articles. */
(function () {
  "use strict";
  var script = document.currentScript || document.querySelector("script[src*='count.js']");
  if (!script || !window.fetch) return;
  var origin = new URL(script.src).origin;
  function fill() {
    var spans = Array.prototype.slice.call(document.querySelectorAll("[data-remarks-count]"));
    var slugs = [];
    spans.forEach(function (el) {
      var s = el.getAttribute("data-remarks-count");
      if (s && slugs.indexOf(s) < 0) slugs.push(s);
    });
    for (var i = 0; i < slugs.length; i += 100) {
      (function (batch) {
        fetch(origin + "/api/v1/counts?articles=" + batch.map(encodeURIComponent).join(","), { credentials: "omit" })
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(function (data) {
            if (!data) return;
            spans.forEach(function (el) {
              var n = data.counts[el.getAttribute("data-remarks-count")];
              if (typeof n !== "number") return;
              var words = el.getAttribute(n === 1 ? "data-remarks-count-one" : "data-remarks-count-many");
              el.textContent = words ? words.replace("{n}", String(n)) : String(n);
              el.setAttribute("data-remarks-count-value", String(n));
            });
          })
          .catch(function () { /* counts are decoration: a failure leaves the page as it was */ });
      })(slugs.slice(i, i + 100));
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fill); else fill();
})();
