/* The comment box's live counter. It counts exactly as the server does
 * (core/text.py, normalize_comment and visible_length): line breaks normalised to LF,
 * NFC, trimmed with String.prototype.trim() (the server strips the same characters), then
 * counted in characters as a reader sees them (grapheme clusters, Intl.Segmenter), so
 * "Điện Biên" is 9 whether the keyboard produced NFC or NFD and a flag is 1. A cluster that
 * shows nothing (zero-width spaces, joiners, variation selectors) counts 0, and white space
 * counts only between visible characters. The name is checked by the same count.
 * The visible counter follows every keystroke; the screen-reader copy (aria-live) is updated
 * only after a pause, so it is not read out on every key. Without JavaScript nothing here
 * runs and the server enforces the same rule. */
(function () {
  "use strict";

  var MIN = 5;
  var MAX = 500;
  var PAUSE_MS = 1000;
  var NAME_MAX = 80;
  var TOO_SHORT = "Please enter " + MIN + " or more characters!!!";
  var BLANK_NAME = "Please enter your name.";
  // The same class as core/text.py's _INVISIBLE, in the same Unicode property names.
  var INVISIBLE = /^[\p{Default_Ignorable_Code_Point}\p{Cc}\p{Cf}\p{Mn}\p{Me}\u2800\u{1D159}]$/u;
  // ECMAScript white space and line terminators: what trim() removes (COMMENT_TRIM_CHARS).
  var SPACE = /^\s$/u;
  var segmenter = window.Intl && Intl.Segmenter
    ? new Intl.Segmenter(undefined, { granularity: "grapheme" })
    : null;

  function normalizeComment(text) {
    return text.replace(/\r\n?/g, "\n").normalize("NFC").trim();
  }

  function graphemes(text) {
    if (!segmenter) return Array.from(text); // code points: close, and the server decides
    return Array.from(segmenter.segment(text), function (s) { return s.segment; });
  }

  function visibleLength(text) {
    var clusters = graphemes(text);
    var kinds = clusters.map(function (cluster) {
      var chars = Array.from(cluster);
      if (!chars.every(function (ch) { return SPACE.test(ch) || INVISIBLE.test(ch); })) {
        return "visible";
      }
      return chars.some(function (ch) { return SPACE.test(ch); }) ? "space" : "nothing";
    });
    var first = kinds.indexOf("visible");
    if (first === -1) return 0;
    var last = kinds.lastIndexOf("visible");
    return kinds.slice(first, last + 1).filter(function (k) { return k !== "nothing"; }).length;
  }

  function commentLength(text) {
    return visibleLength(normalizeComment(text));
  }

  function nameProblem(text) {
    var length = commentLength(text);
    if (length === 0) return BLANK_NAME;
    if (length > NAME_MAX) {
      return "Please keep your name to " + NAME_MAX + " characters (it has " + length + ").";
    }
    return "";
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

    var name = form.elements.namedItem("name");
    var nameWarning = form.querySelector("[data-name-warning]");

    function checkName() {
      var problem = nameProblem(name.value);
      nameWarning.textContent = problem;
      nameWarning.hidden = !problem;
      return problem;
    }

    box.addEventListener("input", update);
    if (name && nameWarning) {
      name.addEventListener("input", function () {
        if (!nameWarning.hidden) checkName();
      });
    }
    form.addEventListener("submit", function (event) {
      var length = commentLength(box.value);
      var bodyBad = length < MIN || length > MAX;
      var nameBad = name && nameWarning ? checkName() : "";
      if (bodyBad) {
        update();
        warning.hidden = length > MAX;
      }
      if (bodyBad || nameBad) {
        event.preventDefault();
        (nameBad ? name : box).focus();
      }
    });
    // The counter starts from what the box holds (the reader's text after a refused post).
    counter.textContent = counterText(commentLength(box.value));
  }

  window.newsroomComments = {
    normalizeComment: normalizeComment,
    commentLength: commentLength,
    nameProblem: nameProblem,
  };
  document.querySelectorAll(".comment-form textarea").forEach(attach);
})();
