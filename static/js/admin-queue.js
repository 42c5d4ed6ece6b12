/*
 * The moderation queue in the admin, improved with JavaScript (everything works without it:
 * the row buttons are ordinary POST buttons, Undo is a form, Edit is a page).
 *
 * - Row buttons act in place: the same POST, sent with fetch (the fetch header); the answer
 *   (JSON) gives the row's new status and buttons and the status counts; focus moves to the
 *   next row. The message that reports it carries an Undo button.
 * - Keys (not while typing in a field): next/previous row, select it, select every open row of
 *   the page, the row's buttons by their key (from the operations registry, data-key), reply,
 *   edit in place, undo the last action, the list of keys.
 * - While rows are selected, an operation's key acts on all of them: the changelist's own bulk
 *   action (its form, the operation named in its menu), sent with fetch; the answer redraws the
 *   selected rows and carries one Undo for them all. When the page is done the next is fetched.
 * - Reply in place: the reply key (or the row's Reply link) opens a box in the row; Ctrl+Enter
 *   sends it to the same address as the change page's box (the fetch header asks for JSON), which
 *   approves a held comment and answers with the row redrawn. Without JavaScript the link opens
 *   the change page's box.
 * - On a comment's page, #reply focuses the reply box (the comment answered is quoted above it).
 * - Each update dispatches "queue:updated" with {ms: keypress to updated row} (the benchmark
 *   reads it).
 *
 * The server's facts (its keys, the fetch and CSRF headers, the status filter's parameter and
 * views) are the data attributes of the row buttons' form (comments/admin/queue.py
 * script_facts); the inline editor's fields are the edit form's, copied from a <template>.
 */
(function () {
  "use strict";

  // The markup's names, written by comments/admin/cells.py and the admin's templates
  // (cells.SCRIPT_NAMES); tests/comments/admin/test_script.py checks that these are its values.
  const ROOT_ID = "queue-row-form";
  const CELL_CLASS = "queue-comment";
  const ROW_ID_PREFIX = "queue-row-";
  const TEXT_CLASS = "queue-text";
  const ACTIONS_CLASS = "queue-actions";
  const STATE_CELL_CLASS = "field-state";
  const PK_ATTR = "data-pk";
  const STATUS_ATTR = "data-status";
  const EDIT_URL_ATTR = "data-edit-url";
  const KEY_ATTR = "data-key";
  const MESSAGES_ID = "queue-messages";
  const UNDO_CLASS = "queue-undo";
  const UNDO_URL_ATTR = "data-undo-url";
  const KEYS_ID = "queue-keys";
  const EDITOR_ID = "queue-editor-form";
  const REPLY_BOX_ID = "reply";
  const REPLY_FIELD_ID = "id_reply";
  const REPLYING_TO_ID = "replying-to";
  const REPLY_URL_ATTR = "data-reply-url";
  const REPLY_FORM_ID = "queue-reply-form";

  let facts = null; // the root's data attributes: {fetchHeader, keyNext, statusParam, ...}
  let current = null; // the focused row's comment cell
  let undoStack = [];
  let startedAt = 0;

  function readFacts(root) {
    const data = root.dataset;
    return {
      fetchHeader: data.fetchHeader,
      fetchValue: data.fetchValue,
      csrfHeader: data.csrfHeader,
      statusParam: data.statusParam,
      statusDefault: data.statusDefault,
      statusAll: data.statusAll,
      searchParam: data.searchParam,
      keys: {
        next: data.keyNext,
        previous: data.keyPrevious,
        select: data.keySelect,
        all: data.keyAll,
        reply: data.keyReply,
        edit: data.keyEdit,
        undo: data.keyUndo,
        help: data.keyHelp,
      },
    };
  }

  function fetchHeaders() {
    return { [facts.fetchHeader]: facts.fetchValue };
  }

  function csrfToken() {
    const input = document.querySelector("#" + ROOT_ID + " [name=csrfmiddlewaretoken]")
      || document.querySelector("[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function cells() {
    return Array.from(document.querySelectorAll("#result_list ." + CELL_CLASS));
  }

  function rowOf(cell) {
    return cell.closest("tr");
  }

  function isDone(cell) {
    return rowOf(cell).classList.contains("queue-done");
  }

  // The changelist's own checkbox of a row (Django's actions; "selected" is its row class).
  function checkboxOf(cell) {
    return rowOf(cell).querySelector("input.action-select");
  }

  function select(cell, on) {
    const box = checkboxOf(cell);
    if (!box) return;
    box.checked = on;
    rowOf(cell).classList.toggle("selected", on);
  }

  // The open rows selected; a row acted on since it was selected is dropped from the selection.
  function selection() {
    return cells().filter((cell) => {
      const box = checkboxOf(cell);
      if (box && box.checked && isDone(cell)) select(cell, false);
      return box && box.checked && !isDone(cell);
    });
  }

  function showSelected(count) {
    const counter = document.querySelector("#changelist-form .action-counter");
    if (counter) counter.textContent = count + " of " + cells().length + " selected";
  }

  // Every open row of the page selected, or (when they all are) none.
  function selectPage() {
    const open = cells().filter((cell) => !isDone(cell) && checkboxOf(cell));
    if (!open.length) return; // nothing to select (no bulk actions for this user)
    const on = selection().length < open.length;
    cells().forEach((cell) => select(cell, on && !isDone(cell)));
    const count = on ? open.length : 0;
    showSelected(count);
    if (count) {
      say(count + (count === 1 ? " row" : " rows") + " selected: an action's key acts on all of them.", "info");
    } else {
      say("Selection cleared.", "info");
    }
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
    return after.find((cell) => !isDone(cell)) || null;
  }

  function say(message, level, undoUrl, seeUrl) {
    const box = document.getElementById(MESSAGES_ID);
    if (!box) return;
    const list = document.createElement("ul");
    list.className = "messagelist";
    const item = document.createElement("li");
    item.className = level || "info";
    item.textContent = message + " ";
    if (seeUrl) {
      // "A", not the lower-case letter: that one is a key the server's registry owns.
      const link = document.createElement("A");
      link.href = seeUrl;
      link.textContent = "See it on the site";
      item.append(link, ". ");
    }
    if (undoUrl) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button " + UNDO_CLASS;
      button.textContent = "Undo";
      button.setAttribute(UNDO_URL_ATTR, undoUrl);
      item.appendChild(button);
    }
    list.appendChild(item);
    box.replaceChildren(list);
  }

  function updateCounts(counts) {
    if (!counts) return;
    document.querySelectorAll("#changelist-filter a").forEach((link) => {
      const status = new URL(link.href, location.href).searchParams.get(facts.statusParam);
      if (status && status in counts) {
        link.textContent = link.textContent.replace(/\(\d+\)/, "(" + counts[status] + ")");
      }
    });
  }

  function cellOf(pk) {
    return document.getElementById(ROW_ID_PREFIX + pk);
  }

  function applyRow(rowAnswer) {
    const cell = cellOf(rowAnswer.pk);
    if (!cell) return null;
    const row = rowOf(cell);
    const query = new URLSearchParams(location.search);
    // A search shows every status: a row it found stays, whatever it becomes.
    const view = (query.get(facts.searchParam) || "").trim()
      ? facts.statusAll
      : query.get(facts.statusParam) || facts.statusDefault;
    cell.setAttribute(STATUS_ATTR, rowAnswer.status);
    const actions = cell.querySelector("." + ACTIONS_CLASS);
    if (actions) actions.outerHTML = rowAnswer.actions_html;
    const text = cell.querySelector("." + TEXT_CLASS);
    if (text && rowAnswer.text) text.textContent = rowAnswer.text;
    const state = row.querySelector("td." + STATE_CELL_CLASS);
    if (state) state.innerHTML = rowAnswer.state_html;
    row.classList.toggle("queue-done", view !== facts.statusAll && rowAnswer.status !== view);
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
      headers: { ...fetchHeaders(), [facts.csrfHeader]: csrfToken() },
      body: body || new FormData(),
      credentials: "same-origin",
    });
    return response.json();
  }

  async function act(button) {
    const cell = button.closest("." + CELL_CLASS);
    const form = new FormData();
    form.append(button.name, button.value);
    button.disabled = true;
    let answer;
    try {
      answer = await post(button.getAttribute("formaction"), form);
    } catch (error) {
      button.disabled = false;
      say("The action did not reach the server: " + error + ". Try again.", "error");
      return;
    }
    applyRow(answer.row);
    updateCounts(answer.counts);
    if (answer.undo_url) undoStack.push(answer.undo_url);
    say(answer.message, answer.level, answer.undo_url);
    const fresh = cellOf(answer.row.pk);
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

  // The selected rows, through the changelist's bulk action: its form as Go would send it, the
  // operation chosen in its menu (the operation's name is the action's).
  async function actOnSelected(button) {
    const form = document.getElementById("changelist-form");
    const go = form && form.querySelector(".actions button[type=submit]");
    const menu = form && form.querySelector(".actions select");
    if (!go || !menu) return;
    const fields = new FormData(form, go);
    fields.set(menu.name, button.value);
    let answer;
    try {
      answer = await post(location.pathname + location.search, fields);
    } catch (error) {
      say("The action did not reach the server: " + error + ". Try again.", "error");
      return;
    }
    Object.values(answer.rows || {}).forEach((rowAnswer) => {
      const cell = applyRow(rowAnswer);
      if (cell) select(cell, false);
    });
    showSelected(0);
    updateCounts(answer.counts);
    if (answer.undo_url) undoStack.push(answer.undo_url);
    say(answer.message, answer.level, answer.undo_url);
    const next = current && !isDone(current) ? current : current && nextOpen(current);
    focusCell(next || current);
    updated();
    if (!next) await loadMore();
  }

  // Every row of the page is done: the next page of the same view, fetched (no page load).
  async function loadMore() {
    const response = await fetch(location.pathname + location.search, { credentials: "same-origin" });
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const rows = page.querySelector("#result_list tbody");
    const tbody = document.querySelector("#result_list tbody");
    if (rows && tbody && rows.querySelector("." + CELL_CLASS)) {
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
    const answer = await post(url);
    let first = null;
    Object.values(answer.rows || {}).forEach((rowAnswer) => {
      const cell = applyRow(rowAnswer);
      first = first || cell;
    });
    updateCounts(answer.counts);
    say(answer.message, answer.level);
    if (first) focusCell(first);
    updated();
  }

  function closeEditor(cell) {
    const editor = cell && cell.querySelector(".queue-editor");
    if (editor) editor.remove();
    if (cell) focusCell(cell);
  }

  // The edit form's fields (from the server's <template>), their ids made the row's own.
  function editorFields(pk) {
    const fields = document.getElementById(EDITOR_ID).content.cloneNode(true);
    fields.querySelectorAll("[id]").forEach((field) => { field.id += "-" + pk; });
    fields.querySelectorAll("label[for]").forEach((label) => { label.htmlFor += "-" + pk; });
    return fields;
  }

  async function edit(cell) {
    const url = cell.getAttribute(EDIT_URL_ATTR);
    if (!url || cell.querySelector(".queue-editor")) return;
    const values = await (await fetch(url, { headers: fetchHeaders() })).json();
    const editor = document.createElement("div");
    editor.className = "queue-editor";
    editor.appendChild(editorFields(cell.getAttribute(PK_ATTR)));
    const fields = Array.from(editor.querySelectorAll("[name]"));
    fields.forEach((field) => { field.value = values[field.name] || ""; });
    const buttons = document.createElement("div");
    buttons.className = "queue-editor-buttons";
    buttons.innerHTML = '<button type="button" class="button default" data-save>Save</button> ' +
      '<button type="button" class="button" data-cancel>Cancel</button> <span class="help">Ctrl+Enter saves, Esc cancels</span>';
    editor.appendChild(buttons);
    cell.appendChild(editor);
    fields[0].focus();

    async function save() {
      const form = new FormData();
      fields.forEach((field) => form.append(field.name, field.value));
      const answer = await post(url, form);
      if (!answer.ok) {
        say("Not saved: " + JSON.stringify(answer.errors), "error");
        return;
      }
      applyRow(answer.row);
      if (answer.undo_url) undoStack.push(answer.undo_url);
      say(answer.message, answer.level, answer.undo_url);
      closeEditor(cellOf(answer.row.pk));
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

  function closeReply(cell) {
    const box = cell && cell.querySelector(".queue-replybox");
    if (box) box.remove();
    if (cell) focusCell(cell);
  }

  // The reply box in the row: the text, Send (the link's own words), Cancel.
  function openReply(cell, link) {
    const existing = cell.querySelector(".queue-replybox textarea");
    if (existing) {
      existing.focus();
      return;
    }
    const pk = cell.getAttribute(PK_ATTR);
    const box = document.createElement("div");
    box.className = "queue-replybox";
    // The field is the server's (its name, its limit), from a <template>; its id the row's own.
    const fields = document.getElementById(REPLY_FORM_ID).content.cloneNode(true);
    fields.querySelectorAll("[id]").forEach((element) => { element.id += "-" + pk; });
    fields.querySelectorAll("label[for]").forEach((label) => { label.htmlFor += "-" + pk; });
    const field = fields.querySelector("textarea");
    const buttons = document.createElement("div");
    buttons.className = "queue-editor-buttons";
    const send = document.createElement("button");
    send.type = "button";
    send.className = "button default";
    send.textContent = link.textContent;
    const cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "button";
    cancel.textContent = "Cancel";
    const help = document.createElement("span");
    help.className = "help";
    help.textContent = "Ctrl+Enter sends, Esc cancels";
    buttons.append(send, " ", cancel, " ", help);
    box.append(fields, buttons);
    cell.appendChild(box);
    field.focus();

    async function sendReply() {
      const form = new FormData();
      form.append(field.name, field.value);
      send.disabled = true;
      startedAt = performance.now();
      let answer;
      try {
        answer = await post(link.getAttribute(REPLY_URL_ATTR), form);
      } catch (error) {
        say("It did not reach the server: " + error + ". Try again (the text is kept).", "error");
        return;
      } finally {
        send.disabled = false;
      }
      if (!answer.ok) {
        say(answer.message, answer.level);
        field.focus();
        return;
      }
      applyRow(answer.row);
      updateCounts(answer.counts);
      say(answer.message, answer.level, null, answer.see_url);
      closeReply(cellOf(answer.row.pk));
      updated();
    }
    send.addEventListener("click", sendReply);
    cancel.addEventListener("click", () => closeReply(cell));
    box.addEventListener("keydown", (event) => {
      if (event.key === "Escape") closeReply(cell);
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        sendReply();
      }
    });
  }

  function replyLink(cell) {
    return cell.querySelector("." + ACTIONS_CLASS + " a[" + REPLY_URL_ATTR + "]");
  }

  function toggleHelp(show) {
    const help = document.getElementById(KEYS_ID);
    if (!help) return;
    help.hidden = show === undefined ? !help.hidden : !show;
    if (!help.hidden) help.querySelector("button").focus();
    else if (current) focusCell(current);
  }

  function typing(target) {
    return target.closest("input, textarea, select, [contenteditable]") !== null;
  }

  function buttonFor(key, cell) {
    const selector = "." + ACTIONS_CLASS + " button[" + KEY_ATTR + '="' + CSS.escape(key) + '"]';
    return (cell || document).querySelector(selector);
  }

  // A key for the focused row: the page's first row gets the focus first.
  function actsOnRow(key) {
    const keys = facts.keys;
    return [keys.select, keys.all, keys.reply, keys.edit].includes(key) || buttonFor(key) !== null;
  }

  function onKey(event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "Escape") {
      toggleHelp(false);
      return;
    }
    if (typing(event.target)) return;
    const key = event.key.toLowerCase();
    const keys = facts.keys;
    if (key === keys.help) {
      toggleHelp();
      event.preventDefault();
      return;
    }
    if (key === keys.next || key === keys.previous) {
      move(key === keys.next ? 1 : -1);
      event.preventDefault();
      return;
    }
    if (key === keys.undo) {
      startedAt = performance.now();
      undo(undoStack[undoStack.length - 1]);
      event.preventDefault();
      return;
    }
    if (!current) {
      if (actsOnRow(key)) focusCell(cells()[0]);
      if (!current) return;
    }
    if (key === keys.select) {
      const box = checkboxOf(current);
      if (box) select(current, !box.checked);
      showSelected(selection().length);
    } else if (key === keys.all) {
      selectPage();
    } else if (key === keys.reply) {
      const link = replyLink(current);
      if (link) openReply(current, link);
    } else if (key === keys.edit) {
      edit(current);
    } else {
      const selected = selection();
      const button = selected.length ? buttonFor(key) : buttonFor(key, current);
      if (!button) return;
      startedAt = performance.now();
      if (selected.length) actOnSelected(button);
      else act(button);
    }
    event.preventDefault();
  }

  function onClick(event) {
    const reply = event.target.closest("." + ACTIONS_CLASS + " a[" + REPLY_URL_ATTR + "]");
    if (reply) {
      event.preventDefault();
      const cell = reply.closest("." + CELL_CLASS);
      focusCell(cell);
      openReply(cell, reply);
      return;
    }
    const button = event.target.closest("button");
    if (!button) return;
    if (button.matches("." + ACTIONS_CLASS + " button[formaction]")) {
      event.preventDefault();
      focusCell(button.closest("." + CELL_CLASS));
      startedAt = performance.now();
      act(button);
    } else if (button.matches("." + UNDO_CLASS)) {
      event.preventDefault();
      startedAt = performance.now();
      undo(button.getAttribute(UNDO_URL_ATTR));
    } else if (button.matches(".queue-more")) {
      const open = button.closest("." + CELL_CLASS).classList.toggle("queue-expanded");
      button.textContent = open ? "less" : "more";
      button.setAttribute("aria-expanded", String(open));
    } else if (button.matches("#" + KEYS_ID + " [data-close]")) {
      toggleHelp(false);
    }
  }

  // A text longer than its two lines gets a "more" button that opens it in place.
  function addExpanders(root) {
    root.querySelectorAll("." + CELL_CLASS).forEach((cell) => {
      const text = cell.querySelector("." + TEXT_CLASS);
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
    const root = document.getElementById(ROOT_ID);
    if (!root) return;
    facts = readFacts(root);
    document.body.classList.add("queue-js");
    addExpanders(document);
    const offered = document.querySelector("#" + MESSAGES_ID + " ." + UNDO_CLASS);
    if (offered) undoStack.push(offered.getAttribute(UNDO_URL_ATTR));
    document.addEventListener("keydown", onKey);
    document.addEventListener("click", onClick);
    // The row named by the URL (back from a row's action), else the first: ready for a key.
    const target = location.hash.startsWith("#" + ROW_ID_PREFIX) && document.getElementById(location.hash.slice(1));
    focusCell(target || cells()[0]);
  }

  function replyBox() {
    const box = document.getElementById(REPLY_FIELD_ID);
    if (!box || location.hash !== "#" + REPLY_BOX_ID) return;
    const quoted = document.getElementById(REPLYING_TO_ID);
    box.focus({ preventScroll: true });
    (quoted || box).scrollIntoView({ block: "start" });
  }

  document.addEventListener("DOMContentLoaded", queue);
  // After the load: the browser's own move to #reply comes first, then the focus stays.
  window.addEventListener("load", () => setTimeout(replyBox, 0));
})();
