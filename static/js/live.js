// Live coverage: while the story is live (or about to be), asks for its live block every
// data-live-poll seconds (30 in production) with If-None-Match, so the server answers 304
// while nothing changed, and swaps the new block in without a reload, announcing new
// entries to screen readers. Stops once the coverage has ended. Without JavaScript the page
// itself is complete: a reload shows every entry.
(function () {
  "use strict";
  var live = document.getElementById("live");
  if (!live || !window.fetch || !window.DOMParser) return;
  var url = live.dataset.liveUpdates;
  var seconds = parseFloat(live.dataset.livePoll) || 30;
  var etag = live.dataset.liveEtag || "";
  var timer = null;
  var failures = 0;

  function ended() {
    return live.dataset.liveState === "ended";
  }

  function entryIds(root) {
    var ids = {};
    root.querySelectorAll("[data-live-entry]").forEach(function (entry) {
      ids[entry.dataset.liveEntry] = true;
    });
    return ids;
  }

  function swap(html) {
    var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("live");
    if (!fresh) return;
    var before = entryIds(live);
    var content = live.querySelector(".live__content");
    var freshContent = fresh.querySelector(".live__content");
    if (!content || !freshContent) return;
    content.replaceWith(document.importNode(freshContent, true));
    live.dataset.liveState = fresh.dataset.liveState;
    live.className = fresh.className;
    var marker = document.querySelector(".live-marker");
    if (marker && ended()) marker.remove();
    var newest = live.querySelector(".live__entries time");
    var latest = marker && marker.querySelector("time");
    if (newest && latest) {
      latest.dateTime = newest.dateTime;
      latest.textContent = newest.firstChild.textContent.trim();
    }
    var added = 0;
    live.querySelectorAll("[data-live-entry]").forEach(function (entry) {
      if (!before[entry.dataset.liveEntry]) {
        entry.classList.add("live-entry--new");
        added += 1;
      }
    });
    var announce = live.querySelector(".live__announce");
    if (announce && added) {
      announce.textContent = added === 1 ? "1 new update" : added + " new updates";
    }
  }

  function schedule(delay) {
    clearTimeout(timer);
    if (!ended()) timer = setTimeout(poll, delay * 1000);
  }

  function poll() {
    if (document.hidden) return; // asked again when the tab is shown
    var headers = etag ? { "If-None-Match": etag } : {};
    // no-store: the browser neither answers from its cache nor adds validators of its own,
    // so this script sees the server's 304 itself.
    fetch(url, { headers: headers, cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        if (response.status === 304) return null;
        if (response.status === 404) {
          live.dataset.liveState = "ended"; // taken down or no longer live coverage
          return null;
        }
        if (!response.ok) throw new Error(response.status);
        etag = response.headers.get("ETag") || "";
        return response.text();
      })
      .then(function (html) {
        failures = 0;
        if (html) swap(html);
        schedule(seconds);
      })
      .catch(function () {
        // Offline or overloaded: ask less often, up to every five minutes.
        failures += 1;
        schedule(Math.min(seconds * Math.pow(2, failures), 300));
      });
  }

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && !ended()) schedule(0);
  });
  schedule(seconds);
})();
