// Keeps what a journalist types into an article form. A few seconds after a change the
// form's text goes to the server as this person's own unsaved copy (editorial.Autosave,
// replaced each time: no revision, the article itself untouched), and at once into this
// browser's localStorage. A reopened form offers the copy back ("Restore the text you were
// typing at 10:02?"). When the session is gone the server answers 401: the page says so,
// links to the sign-in page in a new tab, keeps the text in the browser, and carries on
// once the journalist has signed in again (with the new CSRF token). A save is sent only
// once the server confirms the session, so a signed-out save never throws the text away.
(function () {
  "use strict";

  // The admin's words in the journalist's language: Django's JavaScript catalogue
  // (admin:jsi18n, loaded before this script by the change form), English without it.
  const gettext = window.gettext || ((text) => text);
  const fill = (text, values) => text.replace(/%\((\w+)\)s/g, (match, name) => values[name]);

  // The form's text fields, as editorial.services.AUTOSAVE_FIELDS keeps them.
  const FIELDS = [
    "title", "slug", "section", "lead", "body", "tags", "image_alt", "image_caption",
    "image_credit", "image_focal_x", "image_focal_y",
  ];
  const DELAY = 3000; // after the last change
  const MAX_WAIT = 20000; // while the journalist types without a pause
  const SESSION_POLL = 5000; // while signed out

  // django-prose-editor announces each rich-text editor it makes (a Tiptap editor).
  const editors = new Map();
  document.addEventListener("prose-editor:ready", function (event) {
    editors.set(event.detail.textarea.id, event.detail.editor);
  });

  function start() {
    const form = document.getElementById("article_form");
    const configNode = document.getElementById("editing-config");
    if (!form || !configNode) {
      return;
    }
    const config = JSON.parse(configNode.textContent);
    const notices = document.getElementById("editing-notices");
    const key = `newsroom:autosave:${config.user}:${config.article}`;
    const version = config.version === "" ? null : config.version;
    let paused = false; // while a copy is offered: typing must not replace it unseen
    let signedOut = false;
    let verified = false;
    let timer = null;
    // The form is being saved for real: no autosave may be sent after it (the save deletes
    // the copy; a late autosave would bring it back, and the next form would offer it).
    let leaving = false;
    let inFlight = null; // the autosave request on its way, if any
    let localTimer = null;
    let firstChange = 0;
    let pollTimer = null;

    function field(name) {
      const element = form.elements.namedItem(name);
      return element && "value" in element ? element : null;
    }

    function read() {
      const fields = {};
      for (const name of FIELDS) {
        const element = field(name);
        if (element) {
          fields[name] = element.value;
        }
      }
      return fields;
    }

    let lastSent = JSON.stringify(read());

    function token() {
      return form.querySelector("input[name=csrfmiddlewaretoken]").value;
    }

    // --- notices ---------------------------------------------------------------------

    function notice(kind, role) {
      let box = notices.querySelector(`.editing-notice--${kind}`);
      if (!box) {
        box = document.createElement("div");
        box.className = `editing-notice editing-notice--${kind}`;
        box.setAttribute("role", role || "status");
        notices.append(box);
      }
      box.replaceChildren();
      return box;
    }

    function dropNotice(kind) {
      const box = notices.querySelector(`.editing-notice--${kind}`);
      if (box) {
        box.remove();
      }
    }

    function status(text) {
      notice("status").textContent = text;
    }

    function clock(iso) {
      const zone = config.time_zone;
      const when = new Date(iso);
      const time = new Intl.DateTimeFormat("en-GB", {
        timeZone: zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23",
      }).format(when);
      const day = (d) => new Intl.DateTimeFormat("en-GB", { timeZone: zone }).format(d);
      if (day(when) === day(new Date())) {
        return time;
      }
      const date = new Intl.DateTimeFormat("en-GB", {
        timeZone: zone, day: "numeric", month: "short",
      }).format(when);
      return `${date} ${time}`;
    }

    // --- the copy in this browser ------------------------------------------------------

    function readLocal() {
      try {
        return JSON.parse(localStorage.getItem(key));
      } catch (error) {
        return null;
      }
    }

    function writeLocal() {
      if (paused || leaving) {
        return;
      }
      try {
        const copy = { fields: read(), at: new Date().toISOString(), version: version };
        localStorage.setItem(key, JSON.stringify(copy));
      } catch (error) {
        // Storage full or refused: the server's copy and the page still hold the text.
      }
    }

    function dropLocal(sent) {
      const local = readLocal();
      if (local && (sent === undefined || JSON.stringify(local.fields) === sent)) {
        localStorage.removeItem(key);
      }
    }

    // --- sending -----------------------------------------------------------------------

    function schedule(delay) {
      const now = Date.now();
      if (!firstChange) {
        firstChange = now;
      }
      clearTimeout(timer);
      const wait = Math.min(delay, Math.max(0, firstChange + MAX_WAIT - now));
      timer = setTimeout(send, wait);
    }

    async function send(options) {
      clearTimeout(timer);
      timer = null;
      firstChange = 0;
      if (paused || leaving) {
        return;
      }
      const fields = read();
      const sent = JSON.stringify(fields);
      if (sent === lastSent) {
        return;
      }
      let response;
      try {
        inFlight = fetch(config.autosave_url, {
          method: "POST",
          credentials: "same-origin",
          keepalive: Boolean(options && options.keepalive),
          headers: {
            "Content-Type": "application/json",
            Accept: "application/json",
            "X-CSRFToken": token(),
          },
          body: JSON.stringify({ fields: fields, version: version }),
        });
        response = await inFlight;
      } catch (error) {
        status(gettext("Not autosaved: no connection. Your text is kept in this browser."));
        return;
      } finally {
        inFlight = null;
      }
      if (response.ok) {
        const answer = await response.json();
        lastSent = sent;
        dropLocal(sent);
        status(fill(gettext("Autosaved at %(time)s."), { time: answer.saved_label }));
        return;
      }
      const answer = await response.json().catch(() => ({}));
      if (response.status === 401 || (answer.error === "csrf" && !(options && options.retry))) {
        await refused();
        if (!signedOut) {
          send({ retry: true }); // with the fresh token, once
        }
        return;
      }
      status(
        (answer.message || fill(gettext("Not autosaved (error %(status)s)."), { status: response.status })) +
          " " + gettext("Your text is kept in this browser."),
      );
    }

    // --- the session -------------------------------------------------------------------

    // Asks whether this browser is signed in; true with a fresh CSRF token put into the
    // page's forms, false when signed out, null when the server cannot be reached.
    async function refreshSession() {
      let response;
      try {
        response = await fetch(config.session_url, {
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        });
      } catch (error) {
        return null;
      }
      if (!response.ok) {
        return false;
      }
      const answer = await response.json();
      for (const input of document.querySelectorAll("input[name=csrfmiddlewaretoken]")) {
        input.value = answer.csrf_token;
      }
      return true;
    }

    async function refused() {
      if ((await refreshSession()) === false) {
        signedOutNotice();
      } else if (signedOut) {
        signedBackIn();
      }
    }

    function signedOutNotice() {
      writeLocal();
      if (signedOut) {
        return;
      }
      signedOut = true;
      dropNotice("status");
      const box = notice("signed-out", "alert");
      const text = document.createElement("p");
      text.textContent = gettext(
        "You are signed out, so your text is not reaching the server. It is kept in this " +
        "page and in this browser.",
      ) + " ";
      const link = document.createElement("a");
      link.href = config.login_url;
      link.target = "_blank";
      link.rel = "noopener";
      link.textContent = gettext("Sign in again in a new tab");
      text.append(link, gettext(", then come back here to save."));
      box.append(text);
      pollTimer = setInterval(checkSession, SESSION_POLL);
    }

    async function checkSession() {
      if (signedOut && (await refreshSession())) {
        signedBackIn();
      }
    }

    function signedBackIn() {
      signedOut = false;
      clearInterval(pollTimer);
      dropNotice("signed-out");
      notice("back").textContent = gettext("Signed in again: your text is kept, and saving works again.");
      setTimeout(() => dropNotice("back"), 60000);
      lastSent = null;
      schedule(0);
    }

    window.addEventListener("focus", checkSession);
    document.addEventListener("editing:refused", refused);

    // --- typing and saving -------------------------------------------------------------

    function changed() {
      if (paused) {
        return;
      }
      clearTimeout(localTimer);
      localTimer = setTimeout(writeLocal, 300);
      if (!signedOut) {
        schedule(DELAY);
      }
    }
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);

    // Before the page goes away (or behind another tab), what is pending is sent now.
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden" && timer) {
        writeLocal();
        send({ keepalive: true });
      }
    });

    // A save leaves only once the server confirms the session (and gives its token): a
    // save posted signed out would land on the sign-in page and lose what was typed.
    form.addEventListener(
      "submit",
      async function (event) {
        if (verified) {
          return;
        }
        event.preventDefault();
        const submitter = event.submitter;
        clearTimeout(timer);
        clearTimeout(localTimer);
        timer = null;
        writeLocal();
        leaving = true;
        // An autosave already on its way lands before the save, never after it.
        await (inFlight || Promise.resolve()).catch(() => null);
        const session = await refreshSession();
        if (session === false) {
          leaving = false;
          signedOutNotice();
          status(gettext("Not saved: you are signed out. Sign in again, then save."));
          return;
        }
        if (session) {
          dropLocal();
        }
        verified = true;
        if (submitter && submitter.form === form) {
          form.requestSubmit(submitter);
        } else {
          form.requestSubmit();
        }
      },
      true,
    );

    // --- offering a copy back ----------------------------------------------------------

    function differs(copy, current) {
      return Object.keys(current).some(
        (name) => name in copy && (copy[name] || "") !== (current[name] || ""),
      );
    }

    function restore(copy) {
      paused = false;
      for (const [name, value] of Object.entries(copy.fields)) {
        const element = FIELDS.includes(name) ? field(name) : null;
        if (!element) {
          continue;
        }
        const editor = editors.get(element.id);
        if (editor) {
          editor.commands.setContent(value);
        }
        element.value = value;
        element.dispatchEvent(new Event("input", { bubbles: true }));
        element.dispatchEvent(new Event("change", { bubbles: true }));
      }
      lastSent = null;
      schedule(0);
    }

    async function discard() {
      paused = false;
      dropLocal();
      lastSent = JSON.stringify(read());
      try {
        await fetch(config.autosave_url, {
          method: "DELETE",
          credentials: "same-origin",
          headers: { Accept: "application/json", "X-CSRFToken": token() },
        });
      } catch (error) {
        // The server's copy goes with the next autosave or the next real save.
      }
    }

    function offer() {
      const current = read();
      const local = readLocal();
      let copy = null;
      let label = "";
      if (local && local.fields && differs(local.fields, current)) {
        copy = local;
        label = clock(local.at);
      } else {
        dropLocal();
        if (config.copy && differs(config.copy.fields, current)) {
          copy = config.copy;
          label = config.copy.saved_label;
        }
      }
      if (!copy) {
        return;
      }
      paused = true;
      const box = notice("offer", "alert");
      const question = document.createElement("p");
      question.textContent = fill(gettext("Restore the text you were typing at %(time)s?"), { time: label }) + " ";
      const yes = document.createElement("button");
      yes.type = "button";
      yes.className = "button";
      yes.textContent = gettext("Restore");
      const no = document.createElement("button");
      no.type = "button";
      no.className = "button";
      no.textContent = gettext("Discard");
      question.append(yes, " ", no);
      box.append(question);
      if (version !== null && copy.version !== null && copy.version !== version) {
        const since = document.createElement("p");
        since.textContent = gettext(
          "The article has been saved since then: restoring puts that text over the newer one.",
        );
        box.append(since);
      }
      yes.addEventListener("click", function () {
        box.remove();
        restore(copy);
        status(gettext("Restored. It is not saved yet: save the article to keep it."));
      });
      no.addEventListener("click", function () {
        box.remove();
        discard();
      });
    }

    offer();
  }

  // The admin loads form scripts in the page's head, before the form exists.
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
