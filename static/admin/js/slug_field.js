// Proposes an address (slug) while a headline or name is typed, made by the server's own
// rule (it keeps every Vietnamese letter: "Điện Biên Phủ" -> "dien-bien-phu"). A slug that
// is already there, or that the journalist typed, is left as it is.
"use strict";
(function () {
  function attach(slug) {
    const source = document.getElementById(slug.dataset.slugFrom);
    if (!source) {
      return;
    }
    let edited = slug.value !== "";
    slug.addEventListener("input", function () {
      edited = slug.value !== "";
    });
    let timer = null;
    let asked = 0;
    source.addEventListener("input", function () {
      if (edited) {
        return;
      }
      clearTimeout(timer);
      timer = setTimeout(async function () {
        const ask = ++asked;
        const query = new URLSearchParams({
          text: source.value,
          max: slug.maxLength > 0 ? slug.maxLength : 220,
        });
        try {
          const response = await fetch(`${slug.dataset.slugUrl}?${query}`, {
            credentials: "same-origin",
            headers: { Accept: "application/json" },
          });
          if (response.ok && ask === asked && !edited) {
            slug.value = (await response.json()).slug;
          }
        } catch (error) {
          // Offline: a slug left empty is made by the server on save, by the same rule.
        }
      }, 150);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-slug-from]").forEach(attach);
  });
})();
