// Live character count under every admin field marked data-char-count, against its maxlength.
"use strict";
(function () {
  // In the journalist's language (admin:jsi18n), English without the catalogue.
  const ngettext = window.ngettext || ((one, many, n) => (n === 1 ? one : many));
  const fill = (text, values) => text.replace(/%\((\w+)\)s/g, (match, name) => values[name]);

  function attach(field) {
    const limit = parseInt(field.getAttribute("maxlength"), 10);
    const counter = document.createElement("div");
    counter.className = "char-count";
    counter.setAttribute("aria-live", "polite");
    field.insertAdjacentElement("afterend", counter);
    function update() {
      // Counted as the server stores it (NFC), so typed Vietnamese is not over-counted.
      const used = [...field.value.normalize("NFC")].length;
      counter.textContent = limit
        ? fill(ngettext("%(used)s / %(limit)s character", "%(used)s / %(limit)s characters", limit), { used, limit })
        : fill(ngettext("%(used)s character", "%(used)s characters", used), { used });
      counter.classList.toggle("char-count--near", Boolean(limit) && used > limit * 0.9);
    }
    field.addEventListener("input", update);
    update();
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-char-count]").forEach(attach);
  });
})();
