// "Submit for review" and the other transition buttons act on what the journalist sees:
// with changes in the form, the button saves the form first (the server then opens the
// transition, editorial.admin.editing.EditingViewsMixin.response_change). A save that
// fails validation comes back with the errors, the text kept and nothing done.
(function () {
  "use strict";

  function start() {
    const form = document.getElementById("article_form");
    if (!form) {
      return;
    }
    const configNode = document.getElementById("editing-config");
    // A form sent back with errors holds text that is not saved yet.
    let changed = Boolean(configNode && JSON.parse(configNode.textContent).unsaved);
    const markChanged = function () {
      changed = true;
    };
    form.addEventListener("input", markChanged);
    form.addEventListener("change", markChanged);
    document.addEventListener("click", function (event) {
      const link = event.target.closest("a[data-transition]");
      if (!link || !changed) {
        return;
      }
      event.preventDefault();
      let action = form.querySelector("input[name=_transition]");
      if (!action) {
        action = document.createElement("input");
        action.type = "hidden";
        action.name = "_transition";
        form.append(action);
      }
      action.value = link.dataset.transition;
      form.requestSubmit();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
