// The focal point picker: beside the focal point fields (pictures/forms.py), the picture to
// click on the subject, and the crops every place cuts from it, updated as the point moves.
// The crops are drawn with CSS object-position, the rule sorl-thumbnail's crop="x% y%"
// follows on the server, so what the editor sees here is what the pages show.
"use strict";
(function () {
  // In the journalist's language (admin:jsi18n, loaded by the change forms), English without
  // the catalogue.
  const gettext = window.gettext || ((text) => text);
  const CROPS = [
    ["focal__crop--lead", gettext("Home lead and cards (3:2)")],
    ["focal__crop--social", gettext("Social card (1.91:1)")],
    ["focal__crop--thumb", gettext("Sidebar thumbnail")],
  ];

  function clamp(value) {
    const number = Math.round(Number(value));
    if (!Number.isFinite(number)) return 50;
    return Math.min(100, Math.max(0, number));
  }

  function attach(xInput) {
    const form = xInput.form;
    const imageName = xInput.dataset.focalFor;
    const prefix = xInput.name.slice(0, xInput.name.length - (imageName + "_focal_x").length);
    const yInput = form.querySelector(`[name="${prefix}${imageName}_focal_y"]`);
    const fileInput = form.querySelector(`input[type="file"][name="${prefix}${imageName}"]`);
    if (!yInput) return;

    const box = document.createElement("div");
    box.className = "focal";
    const hint = document.createElement("p");
    hint.className = "focal__hint";
    const frame = document.createElement("div");
    frame.className = "focal__frame";
    const picture = document.createElement("img");
    picture.className = "focal__picture";
    picture.alt = gettext("The picture: click on its subject to set the focal point");
    const marker = document.createElement("span");
    marker.className = "focal__marker";
    marker.setAttribute("aria-hidden", "true");
    frame.append(picture, marker);
    const crops = document.createElement("div");
    crops.className = "focal__crops";
    const cropPictures = CROPS.map(function ([modifier, label]) {
      const figure = document.createElement("figure");
      figure.className = "focal__crop-figure";
      const window_ = document.createElement("div");
      window_.className = `focal__crop ${modifier}`;
      const img = document.createElement("img");
      img.alt = "";
      window_.append(img);
      const caption = document.createElement("figcaption");
      caption.textContent = label;
      figure.append(window_, caption);
      crops.append(figure);
      return img;
    });
    box.append(hint, frame, crops);
    (xInput.closest(".form-row") || xInput.parentElement).insertAdjacentElement("afterend", box);

    function show(src) {
      box.hidden = !src;
      if (!src) return;
      picture.src = src;
      cropPictures.forEach(function (img) { img.src = src; });
      hint.textContent = gettext("Click on the picture's subject (a face, the scene's centre); the crops beside it show what each place will cut.");
    }

    function update() {
      const x = clamp(xInput.value);
      const y = clamp(yInput.value);
      marker.style.left = `${x}%`;
      marker.style.top = `${y}%`;
      cropPictures.forEach(function (img) { img.style.objectPosition = `${x}% ${y}%`; });
    }

    function set(x, y) {
      xInput.value = String(x);
      yInput.value = String(y);
      // Tell the form's other scripts (unsaved changes, autosave) that it changed.
      xInput.dispatchEvent(new Event("input", { bubbles: true }));
      yInput.dispatchEvent(new Event("input", { bubbles: true }));
      update();
    }

    picture.addEventListener("click", function (event) {
      const rect = picture.getBoundingClientRect();
      set(
        clamp(((event.clientX - rect.left) / rect.width) * 100),
        clamp(((event.clientY - rect.top) / rect.height) * 100),
      );
    });
    xInput.addEventListener("input", update);
    yInput.addEventListener("input", update);
    if (fileInput) {
      fileInput.addEventListener("change", function () {
        const file = fileInput.files && fileInput.files[0];
        if (!file) return;
        // A new picture has its subject elsewhere: start again from the centre.
        show(URL.createObjectURL(file));
        set(50, 50);
      });
    }
    // A picture chosen from the library (static/admin/js/picture_chooser.js).
    xInput.addEventListener("focal:picture", function (event) {
      show(event.detail.src);
      update();
    });
    show(xInput.dataset.focalSrc || "");
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll('input[data-focal-axis="x"]').forEach(attach);
  });
})();
