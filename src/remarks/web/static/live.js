/* Live updates on the article page and in the embed (Server-Sent Events). New published comments are
 * put in place (a reply under its comment; a top-level comment where this order and page show it), as
 * the server renders them: the page asks for the comments' HTML fragment, made by the same template as
 * the thread and escaped there, so nothing here builds HTML from text. What cannot be placed on this
 * page is offered as "N new comments — show". The reader's view does not move: what they were looking
 * at stays where it was. Screen readers hear a short polite message. Without JavaScript, or without
 * EventSource, the page works as before: reload to see new comments. */
(function () {
  "use strict";
  var box = document.getElementById("live");
  if (!box || !window.EventSource) return;
  var link = document.getElementById("live-link");
  var say = document.getElementById("live-announce");
  var thread = document.querySelector("ol.thread");
  var sort = box.getAttribute("data-sort") || "oldest";
  var pageNo = parseInt(box.getAttribute("data-page") || "1", 10);
  var pages = parseInt(box.getAttribute("data-pages") || "1", 10);
  var view = box.getAttribute("data-view") || "";
  var path = window.location.pathname.replace(/^\/embed\//, "/articles/");
  // Where a new top-level comment belongs in this order on this page; "" = not on this page.
  var top = sort === "oldest" && pageNo >= pages ? "end" : (sort === "newest" && pageNo === 1 ? "start" : "");
  var canInsert = !!(window.fetch && thread && "content" in document.createElement("template"));
  var asked = {}, waiting = {}, nWaiting = 0;
  // The page keeps the reader's view itself (below); the browser's own anchoring would add to it.
  document.documentElement.style.overflowAnchor = "none";

  function wait(id) {
    if (waiting[id]) return;
    waiting[id] = true;
    nWaiting += 1;
    var words = box.getAttribute(nWaiting === 1 ? "data-one" : "data-many") || "%(n)s";
    link.textContent = words.replace("%(n)s", nWaiting);
    box.hidden = false;
  }

  function announce(added) {
    if (!say || !added.length) return;
    var words = added.length === 1 ? say.getAttribute("data-one") : say.getAttribute("data-many");
    var author = added[0].querySelector(".author");
    words = words.replace("%(name)s", author ? author.textContent : "").replace("%(n)s", added.length);
    say.textContent = "";
    setTimeout(function () { say.textContent = words; }, 50);  // the same words twice are spoken twice
  }

  function firstInView() {
    if (window.scrollY <= 0) return null;  // at the top of the page new content may push the page down
    var all = document.querySelectorAll("li.comment");
    for (var i = 0; i < all.length; i++) {
      if (all[i].getBoundingClientRect().top >= 0) return all[i];
    }
    return null;
  }

  function place(li) {
    var parentId = li.getAttribute("data-parent");
    if (parentId) {
      var parent = document.getElementById("c" + parentId);
      if (!parent) return false;
      var list = parent.querySelector(":scope > ol.replies");
      if (!list) {
        list = document.createElement("ol");
        list.className = "replies";
        parent.appendChild(list);
      }
      list.appendChild(li);
    } else {
      if (!top) return false;
      var empty = thread.querySelector(":scope > li.empty");
      if (empty) empty.remove();
      if (top === "start") thread.insertBefore(li, thread.firstChild); else thread.appendChild(li);
    }
    return true;
  }

  function insert(html) {
    var tpl = document.createElement("template");
    tpl.innerHTML = html;  // the server's rendering, escaped by its template engine; a template runs nothing
    var anchor = firstInView();
    var before = anchor ? anchor.getBoundingClientRect().top : 0;
    var added = [];
    Array.prototype.slice.call(tpl.content.children).forEach(function (li) {
      if (!li.classList.contains("comment") || document.getElementById(li.id)) return;
      if (!place(li)) { wait(li.id); return; }
      li.classList.add("live-new");
      added.push(li);
      document.dispatchEvent(new CustomEvent("remarks:inserted", { detail: li }));
    });
    if (anchor) {
      var shift = anchor.getBoundingClientRect().top - before;
      if (shift) window.scrollBy(0, shift);
    }
    var count = document.querySelector("#comments-title .count");
    var n = count ? parseInt(count.textContent.replace(/\D/g, ""), 10) : NaN;
    if (added.length && !isNaN(n)) count.textContent = "(" + (n + added.length) + ")";
    announce(added);
  }

  function fetchAndInsert(ids) {
    var url = path + "/comments/fragment?ids=" + ids.join(",") + "&sort=" + encodeURIComponent(sort) +
      "&page=" + pageNo + (view ? "&view=" + encodeURIComponent(view) : "");
    fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.text(); })
      .then(insert)
      .catch(function () { ids.forEach(function (id) { wait("c" + id); }); });
  }

  var source = new EventSource(path + "/events?since=" + encodeURIComponent(box.getAttribute("data-since") || "0"));
  source.addEventListener("published", function (e) {
    var data = JSON.parse(e.data), want = [];
    (data.comments || []).forEach(function (c) {
      if (asked[c.id] || document.getElementById("c" + c.id)) return;
      var placeable = c.parent ? (document.getElementById("c" + c.parent) || asked[c.parent]) : top;
      if (canInsert && placeable) { asked[c.id] = true; want.push(c.id); } else wait("c" + c.id);
    });
    for (var i = 0; i < want.length; i += 50) fetchAndInsert(want.slice(i, i + 50));
  });
  source.addEventListener("reactions", function (e) {
    var counts = JSON.parse(e.data);
    document.querySelectorAll(".respect-count[data-comment]").forEach(function (el) {
      var n = counts[el.getAttribute("data-comment")] || 0;
      if (String(n) !== el.textContent) el.textContent = n;
    });
  });
})();
