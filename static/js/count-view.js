// Counts a view of the article page once a reader sees it: one beacon (POST, no cookie, no
// personal data) after the page is visible, never for a prerendered or hidden page. The
// server keeps one view per reader, article and hour (mostread/).
(function () {
  "use strict";
  var script = document.currentScript;
  var url = script && script.dataset.countUrl;
  if (!url || !navigator.sendBeacon) return;
  var sent = false;
  function send() {
    if (sent || document.visibilityState !== "visible" || document.prerendering) return;
    sent = true;
    navigator.sendBeacon(url);
  }
  if (document.readyState === "complete") send();
  else window.addEventListener("load", send);
  document.addEventListener("visibilitychange", send);
  document.addEventListener("prerenderingchange", send);
})();
