/* Inside the embed iframe: tell the embedding page how tall the comments are. */
(function () {
  "use strict";
  function send() {
    if (window.parent === window) return;
    window.parent.postMessage({ remarks: "height", value: document.documentElement.scrollHeight }, "*");
  }
  window.addEventListener("load", send);
  if (window.ResizeObserver) new ResizeObserver(send).observe(document.body);
  document.addEventListener("toggle", send, true);
})();
