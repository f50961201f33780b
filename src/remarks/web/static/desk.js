// Keyboard shortcuts for the moderator queue. Without JavaScript every action still works
// through the forms; this only saves the mouse.
(function () {
  "use strict";
  var items = Array.prototype.slice.call(document.querySelectorAll("article.queue-item"));
  if (!items.length) return;
  var current = 0;

  function focus(i) {
    if (i < 0 || i >= items.length) return;
    items[current].classList.remove("active");
    current = i;
    items[current].classList.add("active");
    items[current].focus({ preventScroll: true });
    items[current].scrollIntoView({ block: "nearest" });
  }

  function submit(action, ladder) {
    var form = items[current].querySelector("form.decide");
    var rule = form.querySelector("select[name=rule]");
    if (action === "remove" && !rule.value) {
      rule.focus();
      rule.classList.add("needs-rule");
      return;
    }
    if (ladder) form.querySelector("select[name=sanction]").value = "next";
    var button = form.querySelector("button[value=" + action + "]");
    form.requestSubmit(button);
  }

  document.addEventListener("keydown", function (e) {
    var t = e.target;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT")) return;
    switch (e.key) {
      case "j": focus(current + 1); break;
      case "k": focus(current - 1); break;
      case "a": submit("approve", false); break;
      case "r": submit("remove", false); break;
      case "b": submit("remove", true); break;
      case "x": var box = items[current].querySelector("input[name=ids]"); box.checked = !box.checked; break;
      case "1": case "2": case "3": case "4": case "5": case "6": case "7": case "8": case "9":
        // The rules in the order of the rule menu, which the server renders from the rules table.
        var menu = items[current].querySelector("select[name=rule]");
        var options = Array.prototype.filter.call(menu.options, function (o) { return o.value; });
        if (options[Number(e.key) - 1]) menu.value = options[Number(e.key) - 1].value;
        break;
      default: return;
    }
    e.preventDefault();
  });
  focus(0);
})();
