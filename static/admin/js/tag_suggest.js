// Suggest existing tags for the last comma-separated term of fields marked
// data-tag-suggestions, through a native <datalist> (keyboard and screen-reader friendly).
"use strict";
(function () {
  function attach(field) {
    const names = JSON.parse(field.dataset.tagSuggestions || "[]");
    const list = document.createElement("datalist");
    list.id = `${field.id}-suggestions`;
    field.setAttribute("list", list.id);
    field.insertAdjacentElement("afterend", list);
    function update() {
      const parts = field.value.split(",");
      const term = parts.pop().trim().toLocaleLowerCase();
      const done = new Set(parts.map((p) => p.trim().toLocaleLowerCase()));
      const prefix = parts.length ? `${parts.join(",")}, ` : "";
      list.replaceChildren();
      if (!term) return;
      names
        .filter((n) => n.toLocaleLowerCase().includes(term) && !done.has(n.toLocaleLowerCase()))
        .slice(0, 12)
        .forEach((name) => {
          const option = document.createElement("option");
          option.value = prefix + (name.includes(",") || name.includes(" ") ? `"${name}"` : name);
          list.append(option);
        });
    }
    field.addEventListener("input", update);
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-tag-suggestions]").forEach(attach);
  });
})();
