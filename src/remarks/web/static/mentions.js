/* @mention autocomplete in comment forms (only when JavaScript is on; typing @name works without it).
 * Arrow keys move, Enter or Tab picks, Escape closes; the list is an ARIA listbox tied to the textarea. */
(function () {
  "use strict";
  var n = 0;
  function attach(area) {
    var list = document.createElement("ul");
    list.className = "mention-list";
    list.id = "mentions-" + (++n);
    list.setAttribute("role", "listbox");
    list.hidden = true;
    area.parentNode.insertBefore(list, area.nextSibling);
    area.setAttribute("aria-controls", list.id);
    area.setAttribute("aria-autocomplete", "list");
    var items = [], active = -1, timer = null;

    function word() {
      var before = area.value.slice(0, area.selectionStart);
      var m = /(^|[^\w@])@([A-Za-z0-9_.-]{1,40})$/.exec(before);
      return m ? m[2] : null;
    }
    function close() { list.hidden = true; items = []; active = -1; area.removeAttribute("aria-activedescendant"); }
    function show(users) {
      list.textContent = "";
      items = users;
      active = users.length ? 0 : -1;
      users.forEach(function (u, i) {
        var li = document.createElement("li");
        li.id = list.id + "-" + i;
        li.setAttribute("role", "option");
        li.textContent = "@" + u.username + " (" + u.display_name + ")";
        li.addEventListener("mousedown", function (e) { e.preventDefault(); pick(i); });
        list.appendChild(li);
      });
      list.hidden = !users.length;
      mark();
    }
    function mark() {
      Array.prototype.forEach.call(list.children, function (li, i) { li.setAttribute("aria-selected", i === active ? "true" : "false"); });
      if (active >= 0) area.setAttribute("aria-activedescendant", list.id + "-" + active);
    }
    function pick(i) {
      var w = word();
      if (w === null) return close();
      var pos = area.selectionStart;
      var start = pos - w.length;
      var text = items[i].username + " ";
      area.value = area.value.slice(0, start) + text + area.value.slice(pos);
      area.selectionStart = area.selectionEnd = start + text.length;
      close();
    }
    area.addEventListener("input", function () {
      var w = word();
      clearTimeout(timer);
      if (w === null) return close();
      timer = setTimeout(function () {
        fetch("/api/v1/users?prefix=" + encodeURIComponent(w), { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : []; }).then(show, close);
      }, 150);
    });
    area.addEventListener("keydown", function (e) {
      if (list.hidden) return;
      if (e.key === "ArrowDown") { active = (active + 1) % items.length; mark(); e.preventDefault(); }
      else if (e.key === "ArrowUp") { active = (active - 1 + items.length) % items.length; mark(); e.preventDefault(); }
      else if ((e.key === "Enter" || e.key === "Tab") && active >= 0) { pick(active); e.preventDefault(); }
      else if (e.key === "Escape") { close(); e.preventDefault(); }
    });
    area.addEventListener("blur", function () { setTimeout(close, 100); });
  }
  document.querySelectorAll("textarea[data-mentions]").forEach(attach);
  // Comments put in place by live.js bring their own reply forms.
  document.addEventListener("remarks:inserted", function (e) {
    e.detail.querySelectorAll("textarea[data-mentions]").forEach(attach);
  });
})();
