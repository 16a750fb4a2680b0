/* The comment box's live counter. It counts exactly as the server does
 * (core/text.py, normalize_comment and comment_length): line breaks normalised to LF,
 * NFC, trimmed with String.prototype.trim() (the server strips the same characters), then
 * counted in code points, so "Điện Biên" is 9 whether the keyboard produced NFC or NFD.
 * The visible counter follows every keystroke; the screen-reader copy (aria-live) is updated
 * only after a pause, so it is not read out on every key. Without JavaScript nothing here
 * runs and the server enforces the same rule. */
(function () {
  "use strict";

  var MIN = 5;
  var MAX = 500;
  var PAUSE_MS = 1000;
  var TOO_SHORT = "Please enter " + MIN + " or more characters!!!";

  function normalizeComment(text) {
    return text.replace(/\r\n?/g, "\n").normalize("NFC").trim();
  }

  function commentLength(text) {
    // Array.from walks code points; .length would count UTF-16 units (an emoji counts 2).
    return Array.from(normalizeComment(text)).length;
  }

  function counterText(length) {
    var left = MAX - length;
    if (left < 0) {
      return "You are " + -left + " character" + (left === -1 ? "" : "s") +
        " over the " + MAX + "-character limit";
    }
    return "You have " + left + "/" + MAX + " characters left";
  }

  function attach(box) {
    var field = box.closest(".comment-form__field");
    var counter = field.querySelector("[data-comment-counter]");
    var live = field.querySelector("[data-comment-counter-live]");
    var warning = field.querySelector("[data-comment-warning]");
    var form = box.form;
    var timer = null;

    // The box is now also described by the counter.
    var described = (box.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    if (described.indexOf(counter.id) === -1) described.push(counter.id);
    box.setAttribute("aria-describedby", described.join(" "));
    counter.hidden = false;

    function messages() {
      var length = commentLength(box.value);
      var short = length > 0 && length < MIN;
      return { length: length, text: counterText(length), short: short };
    }

    function update() {
      var state = messages();
      counter.textContent = state.text;
      counter.classList.toggle("comment-form__counter--over", state.length > MAX);
      warning.textContent = TOO_SHORT;
      warning.hidden = !state.short;
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        live.textContent = state.short ? state.text + ". " + TOO_SHORT : state.text;
      }, PAUSE_MS);
    }

    box.addEventListener("input", update);
    form.addEventListener("submit", function (event) {
      var length = commentLength(box.value);
      if (length < MIN || length > MAX) {
        event.preventDefault();
        update();
        warning.hidden = length > MAX;
        box.focus();
      }
    });
    // The counter starts from what the box holds (the reader's text after a refused post).
    counter.textContent = counterText(commentLength(box.value));
  }

  window.newsroomComments = { normalizeComment: normalizeComment, commentLength: commentLength };
  document.querySelectorAll(".comment-form textarea").forEach(attach);
})();
