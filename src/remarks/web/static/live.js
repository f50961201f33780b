/* Live updates on the article page and in the embed (Server-Sent Events). Without JavaScript, or
 * without EventSource, the page works as before: reload to see new comments. */
(function () {
  "use strict";
  var box = document.getElementById("live");
  if (!box || !window.EventSource) return;
  var link = document.getElementById("live-link");
  var path = window.location.pathname.replace(/^\/embed\//, "/articles/");
  var source = new EventSource(path + "/events?since=" + encodeURIComponent(box.getAttribute("data-since") || "0"));
  source.addEventListener("comments", function (e) {
    var data = JSON.parse(e.data);
    if (data.new > 0) {
      var words = box.getAttribute(data.new === 1 ? "data-one" : "data-many") || "%(n)s";
      link.textContent = words.replace("%(n)s", data.new);
      box.hidden = false;
    }
  });
  source.addEventListener("reactions", function (e) {
    var counts = JSON.parse(e.data);
    document.querySelectorAll(".respect-count[data-comment]").forEach(function (el) {
      var n = counts[el.getAttribute("data-comment")] || 0;
      if (String(n) !== el.textContent) el.textContent = n;
    });
  });
})();
