/*
 * The moderation queue in the admin, improved with JavaScript (everything works without it:
 * the row buttons are ordinary POST buttons, Undo is a form, Edit is a page).
 *
 * - Row buttons act in place: the same POST, sent with fetch (X-Requested-With: fetch); the
 *   answer (JSON) gives the row's new status and buttons and the status counts; focus moves to
 *   the next row. The message that reports it carries an Undo button.
 * - Keys (not while typing in a field): j/k move, x selects, a/s/d/u run the row's button with
 *   that key (from the operations registry, data-key), r replies, e edits in place, z undoes
 *   the last action, ? lists the keys.
 * - On a comment's page, #reply focuses the reply box (the comment answered is quoted above it).
 * - Each update dispatches "queue:updated" with {ms: keypress to updated row} (the benchmark
 *   reads it).
 */
(function () {
  "use strict";

  const FETCH_HEADERS = { "X-Requested-With": "fetch" };
  let current = null; // the focused row's comment cell
  let undoStack = [];
  let startedAt = 0;

  function csrfToken() {
    const input = document.querySelector("#queue-row-form [name=csrfmiddlewaretoken]")
      || document.querySelector("[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function cells() {
    return Array.from(document.querySelectorAll("#result_list .queue-comment"));
  }

  function rowOf(cell) {
    return cell.closest("tr");
  }

  function focusCell(cell) {
    if (!cell) return;
    if (current) rowOf(current).classList.remove("queue-current");
    current = cell;
    const row = rowOf(cell);
    row.classList.add("queue-current");
    row.tabIndex = -1;
    row.focus({ preventScroll: true });
    row.scrollIntoView({ block: "nearest" });
  }

  function move(step) {
    const all = cells();
    if (!all.length) return;
    const index = current ? all.indexOf(current) : -1;
    const next = all[Math.min(Math.max(index + step, 0), all.length - 1)];
    focusCell(next);
  }

  function nextOpen(from) {
    const all = cells();
    const index = all.indexOf(from);
    const after = all.slice(index + 1).concat(all.slice(0, index));
    return after.find((cell) => !rowOf(cell).classList.contains("queue-done")) || null;
  }

  function say(message, level, undoUrl) {
    const box = document.getElementById("queue-messages");
    if (!box) return;
    const list = document.createElement("ul");
    list.className = "messagelist";
    const item = document.createElement("li");
    item.className = level || "info";
    item.textContent = message + " ";
    if (undoUrl) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button queue-undo";
      button.textContent = "Undo";
      button.dataset.undoUrl = undoUrl;
      item.appendChild(button);
    }
    list.appendChild(item);
    box.replaceChildren(list);
  }

  function updateCounts(counts) {
    if (!counts) return;
    document.querySelectorAll("#changelist-filter a").forEach((link) => {
      const match = /[?&]status=(\w+)/.exec(link.getAttribute("href") || "");
      if (match && match[1] in counts) {
        link.textContent = link.textContent.replace(/\(\d+\)/, "(" + counts[match[1]] + ")");
      }
    });
  }

  function applyRow(data) {
    const cell = document.getElementById("queue-row-" + data.pk);
    if (!cell) return null;
    const row = rowOf(cell);
    const view = new URLSearchParams(location.search).get("status") || "pending";
    cell.dataset.status = data.status;
    const actions = cell.querySelector(".queue-actions");
    if (actions) actions.outerHTML = data.actions_html;
    const text = cell.querySelector(".queue-text");
    if (text && data.text) text.textContent = data.text;
    const state = row.querySelector("td.field-state");
    if (state) state.innerHTML = data.state_html;
    row.classList.toggle("queue-done", view !== "all" && data.status !== view);
    return cell;
  }

  function updated() {
    if (startedAt) {
      const ms = performance.now() - startedAt;
      startedAt = 0;
      document.dispatchEvent(new CustomEvent("queue:updated", { detail: { ms } }));
    }
  }

  async function post(url, body) {
    const response = await fetch(url, {
      method: "POST",
      headers: { ...FETCH_HEADERS, "X-CSRFToken": csrfToken() },
      body: body || new FormData(),
      credentials: "same-origin",
    });
    return response.json();
  }

  async function act(button) {
    const cell = button.closest(".queue-comment");
    const form = new FormData();
    form.append("operation", button.value);
    button.disabled = true;
    let data;
    try {
      data = await post(button.getAttribute("formaction"), form);
    } catch (error) {
      button.disabled = false;
      say("The action did not reach the server: " + error + ". Try again.", "error");
      return;
    }
    applyRow(data.row);
    updateCounts(data.counts);
    if (data.undo_url) undoStack.push(data.undo_url);
    say(data.message, data.level, data.undo_url);
    const fresh = document.getElementById("queue-row-" + data.row.pk);
    if (!cell || !fresh) return updated();
    if (!rowOf(fresh).classList.contains("queue-done")) {
      focusCell(fresh);
      return updated();
    }
    const next = nextOpen(fresh);
    focusCell(next || fresh);
    updated();
    if (!next) await loadMore();
  }

  // Every row of the page is done: the next page of the same view, fetched (no page load).
  async function loadMore() {
    const response = await fetch(location.pathname + location.search, { credentials: "same-origin" });
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const rows = page.querySelector("#result_list tbody");
    const tbody = document.querySelector("#result_list tbody");
    if (rows && tbody && rows.querySelector(".queue-comment")) {
      tbody.replaceWith(document.importNode(rows, true));
      addExpanders(document);
      current = null;
      focusCell(cells()[0]);
    } else {
      say("The queue is empty.", "info");
    }
    document.dispatchEvent(new CustomEvent("queue:ready"));
  }

  async function undo(url) {
    if (!url) {
      say("Nothing to undo.", "warning");
      return;
    }
    undoStack = undoStack.filter((u) => u !== url);
    const data = await post(url);
    let first = null;
    Object.values(data.rows || {}).forEach((row) => {
      const cell = applyRow(row);
      first = first || cell;
    });
    updateCounts(data.counts);
    say(data.message, data.level);
    if (first) focusCell(first);
    updated();
  }

  function closeEditor(cell) {
    const editor = cell && cell.querySelector(".queue-editor");
    if (editor) editor.remove();
    if (cell) focusCell(cell);
  }

  async function edit(cell) {
    const url = cell.dataset.editUrl;
    if (!url || cell.querySelector(".queue-editor")) return;
    const values = await (await fetch(url, { headers: FETCH_HEADERS })).json();
    const editor = document.createElement("div");
    editor.className = "queue-editor";
    const id = "queue-edit-" + cell.dataset.pk;
    editor.innerHTML =
      '<label for="' + id + '-body">Text</label><textarea id="' + id + '-body" name="body" rows="4"></textarea>' +
      '<label for="' + id + '-name">Name</label><input id="' + id + '-name" name="author_name" maxlength="100">' +
      '<label for="' + id + '-url">Website</label><input id="' + id + '-url" name="author_url" type="url">' +
      '<div class="queue-editor-buttons"><button type="button" class="button default" data-save>Save</button> ' +
      '<button type="button" class="button" data-cancel>Cancel</button> <span class="help">Ctrl+Enter saves, Esc cancels</span></div>';
    editor.querySelector("textarea").value = values.body;
    editor.querySelector("[name=author_name]").value = values.author_name;
    editor.querySelector("[name=author_url]").value = values.author_url;
    cell.appendChild(editor);
    editor.querySelector("textarea").focus();

    async function save() {
      const form = new FormData();
      ["body", "author_name", "author_url"].forEach((name) =>
        form.append(name, editor.querySelector("[name=" + name + "]").value));
      const data = await post(url, form);
      if (!data.ok) {
        say("Not saved: " + JSON.stringify(data.errors), "error");
        return;
      }
      applyRow(data.row);
      if (data.undo_url) undoStack.push(data.undo_url);
      say(data.message, data.level, data.undo_url);
      closeEditor(document.getElementById("queue-row-" + data.row.pk));
      updated();
    }
    editor.addEventListener("click", (event) => {
      if (event.target.matches("[data-save]")) save();
      if (event.target.matches("[data-cancel]")) closeEditor(cell);
    });
    editor.addEventListener("keydown", (event) => {
      if (event.key === "Escape") closeEditor(cell);
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) save();
    });
  }

  function toggleHelp(show) {
    const help = document.getElementById("queue-keys");
    if (!help) return;
    help.hidden = show === undefined ? !help.hidden : !show;
    if (!help.hidden) help.querySelector("button").focus();
    else if (current) focusCell(current);
  }

  function typing(target) {
    return target.closest("input, textarea, select, [contenteditable]") !== null;
  }

  function onKey(event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "Escape") {
      toggleHelp(false);
      return;
    }
    if (typing(event.target)) return;
    const key = event.key.toLowerCase();
    if (key === "?") {
      toggleHelp();
      event.preventDefault();
      return;
    }
    if (key === "j" || key === "k") {
      move(key === "j" ? 1 : -1);
      event.preventDefault();
      return;
    }
    if (key === "z") {
      startedAt = performance.now();
      undo(undoStack[undoStack.length - 1]);
      event.preventDefault();
      return;
    }
    if (!current) {
      if ("xasdure".includes(key)) focusCell(cells()[0]);
      if (!current) return;
    }
    if (key === "x") {
      const box = rowOf(current).querySelector("input.action-select");
      if (box) box.click();
    } else if (key === "r") {
      const link = current.querySelector('.queue-actions a[href$="#reply"]');
      if (link) location.href = link.href;
    } else if (key === "e") {
      edit(current);
    } else {
      const button = current.querySelector('.queue-actions button[data-key="' + key + '"]');
      if (!button) return;
      startedAt = performance.now();
      act(button);
    }
    event.preventDefault();
  }

  function onClick(event) {
    const button = event.target.closest("button");
    if (!button) return;
    if (button.matches(".queue-actions button[formaction]")) {
      event.preventDefault();
      focusCell(button.closest(".queue-comment"));
      startedAt = performance.now();
      act(button);
    } else if (button.matches(".queue-undo")) {
      event.preventDefault();
      startedAt = performance.now();
      undo(button.dataset.undoUrl);
    } else if (button.matches(".queue-more")) {
      const open = button.closest(".queue-comment").classList.toggle("queue-expanded");
      button.textContent = open ? "less" : "more";
      button.setAttribute("aria-expanded", String(open));
    } else if (button.matches("#queue-keys [data-close]")) {
      toggleHelp(false);
    }
  }

  // A text longer than its two lines gets a "more" button that opens it in place.
  function addExpanders(root) {
    root.querySelectorAll(".queue-comment").forEach((cell) => {
      const text = cell.querySelector(".queue-text");
      if (!text || cell.querySelector(".queue-more") || text.scrollHeight <= text.clientHeight + 1) return;
      const more = document.createElement("button");
      more.type = "button";
      more.className = "queue-more";
      more.textContent = "more";
      more.setAttribute("aria-expanded", "false");
      text.after(more);
    });
  }

  function queue() {
    if (!document.getElementById("queue-row-form")) return;
    document.body.classList.add("queue-js");
    addExpanders(document);
    const offered = document.querySelector("#queue-messages .queue-undo");
    if (offered) undoStack.push(offered.dataset.undoUrl);
    document.addEventListener("keydown", onKey);
    document.addEventListener("click", onClick);
    // The row named by the URL (back from a row's action), else the first: ready for a key.
    const target = location.hash.startsWith("#queue-row-") && document.getElementById(location.hash.slice(1));
    focusCell(target || cells()[0]);
  }

  function replyBox() {
    const box = document.getElementById("id_reply");
    if (!box || location.hash !== "#reply") return;
    const quoted = document.getElementById("replying-to");
    box.focus({ preventScroll: true });
    (quoted || box).scrollIntoView({ block: "start" });
  }

  document.addEventListener("DOMContentLoaded", queue);
  // After the load: the browser's own move to #reply comes first, then the focus stays.
  window.addEventListener("load", () => setTimeout(replyBox, 0));
})();
