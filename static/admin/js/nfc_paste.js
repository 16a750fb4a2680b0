// Text pasted into any admin field arrives in NFC, the form the site stores. Text copied
// from other programs is often decomposed (NFD: "Nhé" as e + a combining accent), and a
// field's maxlength would otherwise cut it by code units, in the middle of a letter.
"use strict";
document.addEventListener("paste", function (event) {
  const field = event.target;
  if (!(field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement)) {
    return;
  }
  const text = event.clipboardData && event.clipboardData.getData("text/plain");
  if (!text || text.normalize("NFC") === text) {
    return;
  }
  event.preventDefault();
  // Inserted as typing inserts it: undo, maxlength and the input event all behave as usual.
  document.execCommand("insertText", false, text.normalize("NFC"));
});
