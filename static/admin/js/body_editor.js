// The body editor as a writer's tool: a live word count below it ("412 words"), as the
// words of the text the reader will see (captions included, markup not); and the browser's
// spell-check on.
"use strict";
(function () {
  // In the journalist's language (admin:jsi18n), English without the catalogue.
  const ngettext = window.ngettext || ((one, many, n) => (n === 1 ? one : many));
  const WORD = /[\p{L}\p{N}]/u;

  function countWords(text) {
    return text.split(/\s+/).filter(function (word) { return WORD.test(word); }).length;
  }

  document.addEventListener("prose-editor:ready", function (event) {
    const { editor, textarea } = event.detail;
    if (!textarea.matches('[name$="body"]')) return;
    const counter = document.createElement("div");
    counter.className = "word-count";
    counter.setAttribute("aria-live", "polite");
    // Below the editor (the admin puts a field's widget in a row of its own).
    const wrapper = textarea.closest(".prose-editor") || textarea;
    (wrapper.closest(".flex-container") || wrapper).insertAdjacentElement("afterend", counter);
    // The browser's spell-check, in the edition's language: the bodies are English even
    // when a journalist reads the admin in Vietnamese.
    editor.view.dom.setAttribute("spellcheck", "true");
    editor.view.dom.setAttribute("lang", "en");
    function update() {
      const words = countWords(editor.getText({ blockSeparator: " " }));
      counter.textContent = ngettext("%(count)s word", "%(count)s words", words).replace(
        "%(count)s",
        words,
      );
    }
    editor.on("update", update);
    update();
  });
})();
