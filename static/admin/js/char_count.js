// Live character count under every admin field marked data-char-count, against its maxlength.
"use strict";
(function () {
  function attach(field) {
    const limit = parseInt(field.getAttribute("maxlength"), 10);
    const counter = document.createElement("div");
    counter.className = "char-count";
    counter.setAttribute("aria-live", "polite");
    field.insertAdjacentElement("afterend", counter);
    function update() {
      // Counted as the server stores it (NFC), so typed Vietnamese is not over-counted.
      const used = [...field.value.normalize("NFC")].length;
      counter.textContent = limit ? `${used} / ${limit} characters` : `${used} characters`;
      counter.classList.toggle("char-count--near", Boolean(limit) && used > limit * 0.9);
    }
    field.addEventListener("input", update);
    update();
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-char-count]").forEach(attach);
  });
})();
