// Autosave in the editor of an article or a page (fitness/articles/revisions_admin.py): a few
// seconds after the writer stops typing, the fields the server names (the box's data-fields:
// an article's title, excerpt and body, a page's title and body) are kept in this browser
// (localStorage: it survives a closed tab or a crash) and, for one already saved, on the server
// too, at the address the box gives (data-url). On opening the editor, text newer than the
// saved one is offered back in one click.
(function () {
  "use strict";

  const DELAY_MS = 2000;

  document.addEventListener("DOMContentLoaded", function () {
    const box = document.getElementById("autosave");
    if (!box) return;
    const form = box.closest("form");
    const fields = {};
    (box.dataset.fields || "").split(" ").forEach(function (name) {
      const field = document.getElementById("id_" + name);
      if (field) fields[name] = field;
    });
    if (!form || !fields.body) return;
    const status = box.querySelector(".autosave-status");
    const csrf = form.querySelector("input[name=csrfmiddlewaretoken]");
    const key = "fitness:autosave:" + box.dataset.key;

    function current() {
      const text = {};
      Object.keys(fields).forEach(function (name) {
        text[name] = fields[name].value;
      });
      return text;
    }

    function same(a, b) {
      return Object.keys(fields).every(function (name) {
        return (a[name] || "") === (b[name] || "");
      });
    }

    function clock(date) {
      return date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
    }

    function say(text) {
      status.textContent = text;
    }

    let timer = null;
    let last = current();
    let submitted = false;

    function save() {
      const text = current();
      if (submitted || same(text, last)) return;
      last = text;
      const at = new Date();
      try {
        localStorage.setItem(key, JSON.stringify(Object.assign({ at: at.toISOString() }, text)));
      } catch {
        // A full or disabled storage: the server's copy (below) still counts.
      }
      if (!box.dataset.url) {
        say("Draft kept in this browser at " + clock(at) + ".");
        return;
      }
      const body = new FormData();
      Object.keys(text).forEach(function (name) {
        body.append(name, text[name]);
      });
      fetch(box.dataset.url, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrf ? csrf.value : "" },
      })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          say("Draft autosaved at " + clock(at) + ".");
        })
        .catch(function () {
          say("Could not reach the server; the draft is kept in this browser (" + clock(at) + ").");
        });
    }

    Object.keys(fields).forEach(function (name) {
      fields[name].addEventListener("input", function () {
        window.clearTimeout(timer);
        timer = window.setTimeout(save, DELAY_MS);
      });
    });
    window.addEventListener("pagehide", save);
    form.addEventListener("submit", function () {
      // The save keeps the text: no autosave may come after it.
      submitted = true;
      window.clearTimeout(timer);
      try {
        localStorage.removeItem(key);
      } catch {
        // Nothing kept: nothing to forget.
      }
    });

    // The newest unsaved text, from the server (newer than the article) or this browser.
    const offers = [];
    const served = document.getElementById("autosave-data");
    if (served) offers.push(JSON.parse(served.textContent));
    try {
      const kept = JSON.parse(localStorage.getItem(key) || "null");
      if (kept && kept.at) offers.push(kept);
    } catch {
      // Unreadable: ignored.
    }
    offers.sort(function (a, b) {
      return new Date(b.at) - new Date(a.at);
    });
    const offer = offers.find(function (text) {
      return !same(text, current());
    });
    if (!offer) return;
    const bar = document.createElement("p");
    bar.className = "autosave-offer";
    bar.textContent = "You have unsaved text from " + clock(new Date(offer.at)) + ". ";
    const restore = document.createElement("button");
    restore.type = "button";
    restore.className = "button";
    restore.textContent = "Restore it";
    const discard = document.createElement("button");
    discard.type = "button";
    discard.className = "button";
    discard.textContent = "Discard it";
    bar.append(restore, " ", discard);
    const previous = box.querySelector(".autosave-offer");
    if (previous) previous.replaceWith(bar);
    else box.prepend(bar);

    restore.addEventListener("click", function () {
      Object.keys(fields).forEach(function (name) {
        if (typeof offer[name] === "string") {
          fields[name].value = offer[name];
          fields[name].dispatchEvent(new Event("input", { bubbles: true }));
        }
      });
      bar.remove();
      say("Restored the text of " + clock(new Date(offer.at)) + ". Save to keep it.");
    });
    discard.addEventListener("click", function () {
      try {
        localStorage.removeItem(key);
      } catch {
        // Nothing kept.
      }
      if (box.dataset.url) {
        const body = new FormData();
        body.append("discard", "1");
        fetch(box.dataset.url, {
          method: "POST",
          body: body,
          credentials: "same-origin",
          headers: { "X-CSRFToken": csrf ? csrf.value : "" },
        });
      }
      bar.remove();
      say("Discarded the unsaved text.");
    });
  });
})();
