// Tells the server, every few seconds while an article's form is open, that this person
// is editing it (editorial.EditingPresence), and shows who else is: "Hà Linh is editing
// this article since 10:02". A save from an older copy is still refused (the version
// check); this notice comes while the second person is typing, before they save. The
// heartbeat stops after IDLE without a key or a click in the page, so a form left open
// does not keep its journalist signed in for ever (each request renews the session).
(function () {
  "use strict";

  // In the journalist's language (admin:jsi18n), English without the catalogue.
  const gettext = window.gettext || ((text) => text);
  const fill = (text, values) => text.replace(/%\((\w+)\)s/g, (match, name) => values[name]);

  const IDLE = 30 * 60 * 1000;

  function start() {
    const form = document.getElementById("article_form");
    const configNode = document.getElementById("editing-config");
    if (!form || !configNode) {
      return;
    }
    const config = JSON.parse(configNode.textContent);
    if (!config.presence_url) {
      return; // the add form: nobody else can have it open
    }
    const box = document.createElement("div");
    box.className = "editing-notice editing-notice--presence";
    box.setAttribute("role", "status");
    box.hidden = true;
    document.getElementById("editing-notices").append(box);
    let lastActive = Date.now();
    let timer = null;

    function token() {
      return form.querySelector("input[name=csrfmiddlewaretoken]").value;
    }

    function show(answer) {
      const lines = answer.others.map(
        (other) =>
          fill(gettext("%(name)s is editing this article since %(time)s."), {
            name: other.name,
            time: other.since_label,
          }),
      );
      if (config.version !== "" && answer.version !== config.version) {
        lines.push(
          gettext(
            "It has been saved since you opened it: saving this form will show what changed " +
              "and keep your text.",
          ),
        );
      }
      box.replaceChildren(
        ...lines.map((line) => {
          const p = document.createElement("p");
          p.textContent = line;
          return p;
        }),
      );
      box.hidden = lines.length === 0;
    }

    async function beat() {
      clearTimeout(timer);
      timer = null;
      if (Date.now() - lastActive > IDLE) {
        return; // resumes with the next key or click
      }
      const data = new FormData();
      data.append("csrfmiddlewaretoken", token());
      try {
        const response = await fetch(config.presence_url, {
          method: "POST",
          body: data,
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        });
        if (response.ok) {
          show(await response.json());
        } else if (response.status === 401 || response.status === 403) {
          // Signed out, or a token replaced by signing in elsewhere: autosave.js checks.
          document.dispatchEvent(new CustomEvent("editing:refused"));
        }
      } catch (error) {
        // Offline: the next beat tries again.
      }
      timer = setTimeout(beat, config.beat_seconds * 1000);
    }

    for (const name of ["keydown", "pointerdown", "input"]) {
      document.addEventListener(
        name,
        function () {
          lastActive = Date.now();
          if (timer === null) {
            beat();
          }
        },
        { capture: true, passive: true },
      );
    }
    window.addEventListener("pagehide", function () {
      const data = new FormData();
      data.append("csrfmiddlewaretoken", token());
      data.append("leave", "1");
      navigator.sendBeacon(config.presence_url, data);
    });
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) {
        beat(); // back from the browser's cache
      }
    });
    beat();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
