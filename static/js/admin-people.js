/*
 * The people behind the queue's rows (comments/admin/people.py), improved with JavaScript;
 * without it the links are plain links (the commenter's page, the ban page).
 *
 * - A key opens the focused row's link that carries it (data-key, written by the server): the
 *   commenter's page, or the ban dialog. On a commenter's page the page's own Ban link answers.
 * - "Ban…" opens the ban form (fetched from the ban page, as JSON) in a modal <dialog>: the
 *   reason field focused, Enter bans, Esc closes. The form is an ordinary POST that comes back
 *   to this page with the message and its Undo (admin-queue.js then undoes it with its key).
 */
(function () {
  "use strict";

  // The markup's names (comments/admin/cells.py and people.py); the fetch header is read from
  // the row form's data-fetch-header / data-fetch-value (comments/admin/queue.py).
  const ROOT_ID = "queue-row-form";
  const BAN_LINK_CLASS = "queue-ban";
  const KEY_ATTR = "data-key";
  const DIALOG_CLASS = "ban-dialog";

  function fetchHeaders() {
    const root = document.getElementById(ROOT_ID);
    if (!root) return {};
    return { [root.dataset.fetchHeader]: root.dataset.fetchValue };
  }

  function typing(target) {
    return target.closest("input, textarea, select, [contenteditable], dialog") !== null;
  }

  function linkFor(key) {
    const selector = "a[" + KEY_ATTR + '="' + CSS.escape(key) + '"]';
    const row = document.querySelector("#result_list tr.queue-current");
    return (row && row.querySelector(selector)) || document.querySelector("#content-main > .commenter " + selector)
      || document.querySelector(".commenter " + selector);
  }

  async function openBan(link) {
    let answer;
    try {
      const response = await fetch(link.href, { headers: fetchHeaders(), credentials: "same-origin" });
      answer = await response.json();
    } catch {
      location.href = link.href; // the page of its own still works
      return;
    }
    const dialog = document.createElement("dialog");
    dialog.className = DIALOG_CLASS;
    dialog.setAttribute("aria-labelledby", "ban-dialog-title");
    const title = document.createElement("h2");
    title.id = "ban-dialog-title";
    title.textContent = "Ban or suspend";
    dialog.appendChild(title);
    const body = document.createElement("div");
    body.innerHTML = answer.html; // the server's own template, escaped there
    dialog.appendChild(body);
    const next = dialog.querySelector("input[name=next]");
    if (next) next.value = location.pathname + location.search;
    const cancel = dialog.querySelector(".ban-cancel");
    if (cancel) {
      cancel.hidden = false;
      cancel.addEventListener("click", () => dialog.close());
    }
    dialog.addEventListener("close", () => dialog.remove());
    document.body.appendChild(dialog);
    dialog.showModal();
    const reason = dialog.querySelector("#id_reason");
    if (reason) reason.focus();
  }

  function onKey(event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    if (document.querySelector("dialog[open]")) return;
    const link = linkFor(event.key.toLowerCase());
    if (!link) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    if (link.classList.contains(BAN_LINK_CLASS)) openBan(link);
    else location.href = link.href;
  }

  function onClick(event) {
    const link = event.target.closest("a." + BAN_LINK_CLASS);
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    openBan(link);
  }

  document.addEventListener("keydown", onKey, true);
  document.addEventListener("click", onClick);
})();
