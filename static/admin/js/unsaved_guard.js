// Asks before a journalist leaves an article form whose changes are not saved (a link,
// the back button, closing the tab). Saving the form itself never asks.
(function () {
  "use strict";

  function guard() {
    const form = document.getElementById("article_form");
    if (!form) {
      return;
    }
    let changed = false;
    let saving = false;
    const markChanged = function () {
      changed = true;
    };
    form.addEventListener("input", markChanged);
    form.addEventListener("change", markChanged);
    form.addEventListener("submit", function (event) {
      // A save held back (autosave.js waits for the session check) has not left yet.
      if (!event.defaultPrevented) {
        saving = true;
      }
    });
    window.addEventListener("beforeunload", function (event) {
      if (changed && !saving) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
  }

  // The admin loads form scripts in the page's head, before the form exists.
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", guard);
  } else {
    guard();
  }
})();
