// The share buttons that need a script: the system's share sheet (Zalo, Messenger and the
// rest on a phone, where navigator.share exists) and copying the address. Without the
// script, or where the browser cannot, they stay hidden; the plain links always work.
(function () {
  "use strict";
  document.querySelectorAll("[data-share-native]").forEach(function (item) {
    if (!navigator.share) return;
    item.hidden = false;
    var button = item.querySelector("button");
    button.addEventListener("click", function () {
      navigator.share({ title: button.dataset.shareTitle, url: button.dataset.shareUrl })
        .catch(function () {});
    });
  });
  document.querySelectorAll("[data-share-copy]").forEach(function (item) {
    if (!navigator.clipboard) return;
    item.hidden = false;
    var button = item.querySelector("button");
    var done = item.querySelector(".share__done");
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(button.dataset.copyUrl).then(
        function () { done.textContent = "Link copied"; },
        function () { done.textContent = "Copy the address from the address bar"; }
      );
    });
  });
})();
