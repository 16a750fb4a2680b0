// The picture library's chooser: a dialog listing the library's pictures (newest first,
// searched by alt text, caption, credit or file name) with an upload form for a new one.
// window.NewsroomPictureChooser.open({url, onChoose}) is used by the featured picture's
// "Choose from the library" button (below) and by the body editor's picture button
// (static/admin/js/prose_library_picture.js). The list and the upload are the library
// admin's chooser view (pictures/admin.py), which shows each journalist what they may use.
"use strict";
(function () {
  // In the journalist's language (admin:jsi18n, loaded by the change forms), English without
  // the catalogue. The credit line stays English: it is the public page's own text.
  const gettext = window.gettext || ((text) => text);
  const ngettext = window.ngettext || ((one, many, n) => (n === 1 ? one : many));
  const fill = (text, values) => text.replace(/%\((\w+)\)s/g, (_, name) => values[name]);

  function el(tag, props, children) {
    const node = document.createElement(tag);
    Object.assign(node, props || {});
    (children || []).forEach(function (child) {
      node.append(child);
    });
    return node;
  }

  function csrfToken() {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function creditLine(picture) {
    return picture.credit ? `Photo: ${picture.credit}` : "";
  }

  let dialog = null;
  let current = null;

  function build() {
    const heading = el("h2", { id: "picture-chooser-title", textContent: gettext("Pictures of the library") });
    const close = el("button", { type: "button", className: "chooser__close", textContent: gettext("Close") });
    const search = el("input", {
      type: "search",
      id: "picture-chooser-search",
      className: "chooser__search",
      placeholder: "alt text, caption, credit…",
      autocomplete: "off",
    });
    const searchLabel = el("label", { htmlFor: "picture-chooser-search", textContent: gettext("Search the library") });
    const status = el("p", { className: "chooser__status", role: "status" });
    const grid = el("ul", { className: "chooser__grid" });

    const file = el("input", { type: "file", name: "image", id: "picture-chooser-file", accept: "image/jpeg,image/png,image/webp", required: true });
    const alt = el("input", { type: "text", name: "description", id: "picture-chooser-alt", maxLength: 250, required: true });
    const caption = el("input", { type: "text", name: "caption", id: "picture-chooser-caption", maxLength: 500 });
    const credit = el("input", { type: "text", name: "credit", id: "picture-chooser-credit", maxLength: 200 });
    const errors = el("div", { className: "chooser__errors", role: "alert" });
    const send = el("button", { type: "submit", className: "button", textContent: gettext("Upload into the library") });
    function row(label, input) {
      return el("p", { className: "chooser__field" }, [el("label", { htmlFor: input.id, textContent: label }), input]);
    }
    const upload = el("form", { className: "chooser__upload", noValidate: false }, [
      el("h3", { textContent: gettext("Or upload a new picture") }),
      row(gettext("Picture (JPEG, PNG or WebP)"), file),
      row(gettext("Alt text: what the picture shows"), alt),
      row(gettext("Caption"), caption),
      row(gettext("Credit"), credit),
      errors,
      send,
    ]);

    dialog = el("dialog", { className: "chooser" }, [
      el("div", { className: "chooser__head" }, [heading, close]),
      el("div", { className: "chooser__find" }, [searchLabel, search]),
      status,
      grid,
      upload,
    ]);
    dialog.setAttribute("aria-labelledby", heading.id);
    document.body.append(dialog);

    close.addEventListener("click", function () { dialog.close(); });

    let timer = null;
    search.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { list(search.value); }, 250);
    });

    function list(query) {
      status.textContent = gettext("Loading…");
      const url = new URL(current.url, window.location.href);
      if (query) url.searchParams.set("q", query);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(function (data) {
          grid.textContent = "";
          data.pictures.forEach(function (picture) {
            const choose = el("button", { type: "button", className: "chooser__choice" }, [
              el("img", { src: picture.thumb, alt: "", width: 120, height: 80 }),
              el("span", { className: "chooser__alt", textContent: picture.alt }),
              el("span", { className: "chooser__credit", textContent: creditLine(picture) }),
            ]);
            choose.addEventListener("click", function () { pick(picture); });
            grid.append(el("li", {}, [choose]));
          });
          status.textContent = data.pictures.length
            ? fill(
                ngettext(
                  "%(count)s picture, newest first.",
                  "%(count)s pictures, newest first.",
                  data.pictures.length,
                ),
                { count: data.pictures.length },
              )
            : query
              ? gettext("No picture of the library matches.")
              : gettext("The library is empty: upload a picture below.");
        })
        .catch(function () {
          status.textContent = gettext("The library could not be loaded. Try again in a moment.");
        });
    }
    dialog.list = list;
    dialog.search = search;

    upload.addEventListener("submit", function (event) {
      event.preventDefault();
      errors.textContent = "";
      const body = new FormData(upload);
      send.disabled = true;
      fetch(current.url, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
      })
        .then(function (response) {
          return response.json().then(function (data) { return { ok: response.ok, data: data }; });
        })
        .then(function (answer) {
          if (answer.ok) {
            upload.reset();
            pick(answer.data.picture);
            return;
          }
          Object.values(answer.data.errors || {}).forEach(function (messages) {
            messages.forEach(function (m) { errors.append(el("p", { textContent: m.message })); });
          });
        })
        .catch(function () {
          errors.append(el("p", { textContent: gettext("The upload did not reach the server; nothing was saved. Try again.") }));
        })
        .finally(function () { send.disabled = false; });
    });
  }

  function pick(picture) {
    const options = current;
    dialog.close();
    options.onChoose(picture);
  }

  function open(options) {
    if (!dialog) build();
    current = options;
    dialog.showModal();
    dialog.search.value = "";
    dialog.list("");
    dialog.search.focus();
  }

  window.NewsroomPictureChooser = { open: open, creditLine: creditLine };

  // The featured picture: "Choose from the library" beside its file field.
  function attachFeatured(hidden) {
    const form = hidden.form;
    const imageName = hidden.dataset.libraryFor;
    const prefix = hidden.name.slice(0, hidden.name.length - "library_picture".length);
    const file = form.querySelector(`input[type="file"][name="${prefix}${imageName}"]`);
    if (!file) return;
    const button = el("button", { type: "button", className: "button chooser__open", textContent: gettext("Choose from the library") });
    const chosen = el("p", { className: "chooser__chosen", role: "status" });
    file.insertAdjacentElement("afterend", button);
    button.insertAdjacentElement("afterend", chosen);
    button.addEventListener("click", function () {
      open({
        url: hidden.dataset.pictureChooser,
        onChoose: function (picture) {
          hidden.value = String(picture.id);
          file.value = "";
          const set = function (name, value) {
            const input = form.querySelector(`[name="${prefix}${name}"]`);
            if (input) {
              input.value = value;
              input.dispatchEvent(new Event("input", { bubbles: true }));
            }
          };
          set("image_alt", picture.alt);
          set("image_caption", picture.caption);
          set("image_credit", picture.credit);
          set(`${imageName}_focal_x`, String(picture.focal[0]));
          set(`${imageName}_focal_y`, String(picture.focal[1]));
          const x = form.querySelector(`[name="${prefix}${imageName}_focal_x"]`);
          if (x) x.dispatchEvent(new CustomEvent("focal:picture", { detail: { src: picture.src } }));
          chosen.textContent = fill(
            gettext("Chosen from the library: %(alt)s. Save to use it."),
            { alt: picture.alt },
          );
        },
      });
    });
    file.addEventListener("change", function () {
      // A file chosen after a library picture is the featured picture instead.
      hidden.value = "";
      chosen.textContent = "";
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-library-for]").forEach(attachFeatured);
  });
})();
