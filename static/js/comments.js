/*
 * Comments: progressive enhancement only; every link and form works without this file.
 * - Reply links ([data-reply-to]) move the #respond form under the comment, set the hidden
 *   parent field and retitle the form "Leave a Reply to NAME"; "Cancel reply" puts it back.
 * - The reader's own part (their held comments, their "Edit or delete" lines, their remembered
 *   name, email and website in the form): the shared page holds none of it; when their
 *   `comments_mine` hint cookie says they have some, it is asked from the page's data-mine
 *   address (comments:mine, private) and filled in. A post sent with this script lands on the
 *   shared page (the form says so: LANDING_FIELD), which a cache may have kept from just before
 *   it: the reader's own comments published since come with their part and are inserted where
 *   the page would have them. Without the script a post lands on their own page (`?mine=1`),
 *   rendered with their part; the address loses `mine=1`, so a reload is the shared page.
 * - The reader's own held comments are moved under the comment they reply to.
 * - Helpful: the reader's own marks are drawn from their cookie (the page is the same for
 *   everyone); a tap posts the form in the background and shows the new count.
 * - New comments: while the tab is visible, the discussion's version is asked for every few
 *   seconds (a conditional GET, usually a 304 from nginx); "2 new comments: show" inserts them
 *   where they belong without moving what the reader is reading.
 * - Deleting one's own comment asks first (form[data-confirm]): a dialog, instead of the page
 *   that asks without JavaScript.
 * - After the moves, the reader is put back on what the address names (#comment-N), at once.
 */
(function () {
  "use strict";

  // The comment markup's names, written by comments/threads/rendering.py (its "Names the script
  // reads"); tests/comments/threads/test_markup.py checks that these values are the module's.
  const ITEM_ID_PREFIX = "comment-";
  const BODY_CLASS = "comment-body";
  const CHILDREN_CLASS = "children";
  const PENDING_CLASS = "comment-pending";
  const REPLY_TO_ATTR = "data-reply-to";
  const AUTHOR_ATTR = "data-author";
  const PARENT_ATTR = "data-parent";
  const HELPFUL_ATTR = "data-helpful";
  const HELPFUL_COUNT_CLASS = "comment-helpful-count";

  // An old WordPress link (/2010/03/15/post/#comment-5) answers 301 with ?from=wordpress
  // (fitness.articles.models.Redirect.location) and the browser keeps its #comment-5: WordPress's
  // number, not ours. The permalink below knows where that comment is now.
  const FROM_OLD_SITE = "from=wordpress";
  const WORDPRESS_PERMALINK = "/comments/wordpress/";
  if (location.search.slice(1).split("&").indexOf(FROM_OLD_SITE) !== -1) {
    const old = /^#comment-(\d+)$/.exec(location.hash);
    if (old) {
      location.replace(WORDPRESS_PERMALINK + old[1] + "/");
      return;
    }
    const rest = location.search.slice(1).split("&").filter(function (part) {
      return part && part !== FROM_OLD_SITE;
    });
    history.replaceState(null, "", location.pathname + (rest.length ? "?" + rest.join("&") : "") + location.hash);
  }

  // The reader's own page (?mine=1, comments.web.views.comment_url): rendered with their part
  // already; the address drops the parameter, so that a reload or a copied link is the page
  // everyone shares (the script fills their part in there).
  const MINE_PARAMETER = "mine=1";
  // The field this script adds to the comment form (comments.web.views.LANDING_FIELD).
  const LANDING_FIELD = "landing";
  const SHARED_LANDING = "shared";
  if (location.search.slice(1).split("&").indexOf(MINE_PARAMETER) !== -1) {
    const others = location.search.slice(1).split("&").filter(function (part) {
      return part && part !== MINE_PARAMETER;
    });
    history.replaceState(null, "", location.pathname + (others.length ? "?" + others.join("&") : "") + location.hash);
  }

  // --- Helpful ------------------------------------------------------------------------------
  // The cookie comments/readers/cookies.py signs: "<reader>.<id>.<id>:<signature>".
  const helpfulCookie = "comments_helpful";

  function markedIds() {
    const found = document.cookie.split("; ").find(function (part) {
      return part.indexOf(helpfulCookie + "=") === 0;
    });
    if (!found) { return []; }
    const value = decodeURIComponent(found.slice(helpfulCookie.length + 1)).replace(/^"|"$/g, "");
    return value.split(":")[0].split(".").slice(1);
  }

  function drawMarks(root) {
    const marked = markedIds();
    root.querySelectorAll("[" + HELPFUL_ATTR + "]").forEach(function (button) {
      const pressed = marked.indexOf(button.getAttribute(HELPFUL_ATTR)) !== -1;
      button.setAttribute("aria-pressed", pressed ? "true" : "false");
    });
  }
  drawMarks(document);

  function showCount(button, count) {
    button.querySelector("." + HELPFUL_COUNT_CLASS).textContent = count ? " " + count : "";
  }

  // A refused mark (enough from this network): the reason, next to the button, read out.
  function say(form, message) {
    let note = form.nextElementSibling;
    if (!note || !note.classList.contains("comment-helpful-note")) {
      note = document.createElement("p");
      note.className = "comment-helpful-note small";
      note.setAttribute("role", "status");
      form.insertAdjacentElement("afterend", note);
    }
    note.textContent = message;
  }

  document.addEventListener("submit", function (event) {
    const button = event.target.querySelector("[" + HELPFUL_ATTR + "]");
    if (!button || !window.fetch) { return; }
    event.preventDefault();
    const wanted = button.getAttribute("aria-pressed") === "true" ? "0" : "1";
    const headers = { Accept: "application/json" };
    const token = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (token) { headers["X-CSRFToken"] = token.value; }
    button.disabled = true;
    fetch(event.target.action, {
      method: "POST",
      headers: headers,
      body: new URLSearchParams({ helpful: wanted }),
      credentials: "same-origin",
    }).then(function (response) {
      return response.json().then(function (data) {
        button.setAttribute("aria-pressed", data.marked ? "true" : "false");
        showCount(button, data.count);
        if (!response.ok) { say(event.target, data.message); }  // refused: say why
      });
    }).catch(function () {
      event.target.submit();  // the form as it works without the script
    }).finally(function () {
      button.disabled = false;
    });
  });

  // --- New comments ----------------------------------------------------------------------------
  const section = document.getElementById("comments");
  const liveUrl = section && section.getAttribute("data-live");
  if (liveUrl && window.fetch && window.DOMParser) {
    watchDiscussion(section, liveUrl);
  }

  function watchDiscussion(root, url) {
    const every = 5000;  // while the reader is here: a new comment shows within ~6 s
    const slowest = 60000;  // idle: the pause doubles up to this
    const idleAfter = 120000;  // no scroll, key or tap for this long: idle
    // The comments this page shows: its data-count, moved by what is inserted into it (the
    // reader's own just-published comments, placePublished; "show"), so none is offered twice.
    function known() { return Number(root.getAttribute("data-count")); }
    let pause = every;
    let lastActive = Date.now();
    let timer = 0;
    const banner = document.createElement("div");
    banner.className = "comments-new";
    banner.setAttribute("role", "status");
    banner.hidden = true;
    const show = document.createElement("button");
    show.type = "button";
    banner.appendChild(show);
    root.insertBefore(banner, root.firstChild);

    function schedule(delay) {
      clearTimeout(timer);
      if (!document.hidden) {
        timer = setTimeout(ask, delay * (0.8 + Math.random() * 0.4));  // tabs spread out
      }
    }

    function ask() {
      if (Date.now() - lastActive > idleAfter) { pause = Math.min(pause * 2, slowest); }
      // "no-cache": the browser revalidates its copy (If-None-Match): a 304 costs nothing.
      fetch(url, { cache: "no-cache", credentials: "omit" }).then(function (response) {
        return response.ok ? response.json() : null;
      }).then(function (data) {
        if (data) { offer(data.count - known()); }
      }).catch(function () {
        pause = Math.min(pause * 2, slowest);
      }).finally(function () {
        schedule(pause);
      });
    }

    function offer(arrived) {
      if (arrived <= 0) { return; }
      show.textContent = arrived === 1 ? "1 new comment: show" : arrived + " new comments: show";
      banner.hidden = false;
    }

    function awake() {
      lastActive = Date.now();
      if (pause !== every) { pause = every; schedule(pause); }
    }
    ["scroll", "keydown", "pointerdown"].forEach(function (name) {
      window.addEventListener(name, awake, { passive: true });
    });
    document.addEventListener("visibilitychange", function () {
      if (document.hidden) {
        clearTimeout(timer);
      } else {
        lastActive = Date.now();
        pause = every;
        ask();
      }
    });

    schedule(pause);

    show.addEventListener("click", function () {
      show.disabled = true;
      fetch(location.pathname + location.search, { cache: "no-cache" }).then(function (response) {
        return response.text();
      }).then(function (text) {
        const fresh = new DOMParser().parseFromString(text, "text/html");
        const inserted = insertNew(fresh);
        const heading = fresh.getElementById("comments-title");
        if (heading) { document.getElementById("comments-title").textContent = heading.textContent; }
        const freshRoot = fresh.getElementById("comments");
        if (freshRoot) { root.setAttribute("data-count", freshRoot.getAttribute("data-count")); }
        banner.hidden = true;
        if (inserted.length) {
          const first = inserted[0].querySelector("." + BODY_CLASS);
          first.setAttribute("tabindex", "-1");
          first.focus({ preventScroll: true });
        }
      }).catch(function () {
        location.reload();
      }).finally(function () {
        show.disabled = false;
      });
    });
  }

  // The first comment whose body is on screen: what the reader is reading, kept in place.
  function readingPoint() {
    const bodies = document.querySelectorAll("#comments ." + BODY_CLASS);
    for (let index = 0; index < bodies.length; index += 1) {
      if (bodies[index].getBoundingClientRect().bottom > 0) { return bodies[index]; }
    }
    return null;
  }

  function threadList() {
    let list = document.querySelector("#comments ol.comment-list:not(.comment-list-pending)");
    if (!list) {
      list = document.createElement("ol");
      list.className = "comment-list";
      document.getElementById("comments-title").insertAdjacentElement("afterend", list);
    }
    return list;
  }

  // The list of replies under a comment's item, made when it has none yet.
  function childrenOf(item) {
    let list = item.querySelector(":scope > ol." + CHILDREN_CLASS);
    if (!list) {
      list = document.createElement("ol");
      list.className = CHILDREN_CLASS;
      item.appendChild(list);
    }
    return list;
  }

  // Every comment of `fresh` (the same page, fetched again) that this page lacks, put after the
  // comment it follows there, or first under its parent; returns the items inserted.
  function insertNew(fresh) {
    const point = readingPoint();
    const before = point ? point.getBoundingClientRect().top : 0;
    const inserted = [];
    fresh.querySelectorAll("ol.comment-list:not(.comment-list-pending) li.comment").forEach(function (item) {
      const here = document.getElementById(item.id);
      if (here && !here.classList.contains(PENDING_CLASS)) { return; }
      const node = document.importNode(item, true);
      const previous = item.previousElementSibling;
      const after = previous && document.getElementById(previous.id);
      if (after) {
        after.insertAdjacentElement("afterend", node);
      } else {
        const parentItem = item.parentElement.closest("li.comment");
        let list = threadList();
        if (parentItem) {
          const parent = document.getElementById(parentItem.id);
          if (!parent) { return; }
          list = childrenOf(parent);
        }
        if (previous) { list.appendChild(node); } else { list.insertBefore(node, list.firstChild); }
      }
      if (here) { here.remove(); }  // the reader's own held comment, now published
      node.classList.add("comment-arrived");
      inserted.push(node);
    });
    drawMarks(document);
    if (point) { window.scrollBy(0, point.getBoundingClientRect().top - before); }
    return inserted;
  }

  // "Delete your comment?" asked here, with the time the undo lasts as the page shows it (in
  // the reader's zone: static/js/local-time.js); confirmed, the form says so and the server
  // deletes at once (comments.web.views.DELETE_CONFIRMED).
  document.querySelectorAll("form[data-confirm]").forEach(function (confirmForm) {
    confirmForm.addEventListener("submit", function (event) {
      const until = document.querySelector("time[data-local-time]");
      let question = confirmForm.getAttribute("data-confirm");
      if (until && confirmForm.hasAttribute("data-confirm-until")) {
        question += " " + confirmForm.getAttribute("data-confirm-until") + " " + until.textContent + ".";
      }
      if (!window.confirm(question)) {
        event.preventDefault();
        return;
      }
      const confirmed = document.createElement("input");
      confirmed.type = "hidden";
      confirmed.name = "confirmed";
      confirmed.value = "1";
      confirmForm.appendChild(confirmed);
    });
  });

  // --- The reader's own part ------------------------------------------------------------------
  // comments/readers/cookies.py sets the hint beside the HttpOnly cookies it stands for.
  const MINE_COOKIE = "comments_mine";
  const mineUrl = section && section.getAttribute("data-mine");
  const hinted = document.cookie.split("; ").some(function (part) {
    return part.indexOf(MINE_COOKIE + "=") === 0;
  });
  if (mineUrl && hinted && window.fetch) {
    // The same page of threads and order as this page (where their held comments belong).
    const asked = new URLSearchParams();
    new URLSearchParams(location.search).forEach(function (value, key) {
      if (key === "page" || key === "sort") { asked.set(key, value); }
    });
    const query = asked.toString();
    fetch(mineUrl + (query ? "?" + query : ""), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (mine) {
      if (mine) { fillMine(mine); }
    }).catch(function () {
      // Nothing of theirs shown: the page still works, as it does for a stranger.
    });
  }

  // The pieces where the reader's own page has them (templates/comments/section.html): their
  // published comments this copy lacks in the threads, held comments after the threads, the
  // "Edit or delete" lines first in #respond, the remembered values in the form; then moved
  // and landed on as on that page.
  function fillMine(mine) {
    if (followMoved(mine.elsewhere || {})) { return; }
    if (placePublished(mine.published || []) && mine.heading) {
      const heading = document.getElementById("comments-title");
      if (heading) { heading.textContent = mine.heading; }
    }
    const place = document.getElementById("respond-home") || document.getElementById("respond") ||
      section.querySelector(":scope > .comments-closed, :scope > .comments-feed");
    if (mine.pending && place) { place.insertAdjacentHTML("beforebegin", mine.pending); }
    const ownPlace = document.getElementById("respond");
    if (mine.own && ownPlace) { ownPlace.insertAdjacentHTML("afterbegin", mine.own); }
    const commentForm = document.getElementById("commentform");
    const author = mine.author || {};
    if (commentForm && author.name) {
      ["name", "email", "website"].forEach(function (name) {
        const input = commentForm.elements[name];
        if (input && !input.value) { input.value = author[name] || ""; }
      });
      const remember = commentForm.elements.remember;
      if (remember) { remember.checked = true; }
    }
    if (window.localizeTimes) { window.localizeTimes(section); }
    placeOwn();
    land();
  }

  // The address names the reader's own comment, published, whose thread another page lists now
  // (an approval of an older comment moved the later threads on): its permalink finds that
  // page. Once per comment and tab, so that a page moved again meanwhile cannot loop.
  function followMoved(elsewhere) {
    const named = /^#comment-(\d+)$/.exec(location.hash);
    if (!named || document.getElementById(ITEM_ID_PREFIX + named[1]) || !elsewhere[named[1]]) {
      return false;
    }
    const followed = "comments-followed-" + named[1];
    try {
      if (sessionStorage.getItem(followed)) { return false; }
      sessionStorage.setItem(followed, "1");
    } catch {
      return false;  // no storage (a private window's quota): stay rather than risk a loop
    }
    location.replace(elsewhere[named[1]]);
    return true;
  }

  // The reader's own published comments (comments.web.own.published_rows), each that this copy
  // of the page lacks (made before it was published) put where the page would have it: a reply
  // last under its parent, a thread after the one listed before it (first when none; last
  // when that one is missing too); one whose place is not on this page is left out. Returns
  // how many it put in.
  function placePublished(published) {
    let placed = 0;
    published.forEach(function (own) {
      if (document.getElementById(ITEM_ID_PREFIX + own.id)) { return; }
      const template = document.createElement("template");
      template.innerHTML = own.html;
      const item = template.content.firstElementChild;
      const parent = own.parent && document.getElementById(ITEM_ID_PREFIX + own.parent);
      const list = own.parent ? parent && childrenOf(parent) : threadList();
      if (!list) { return; }
      const after = own.after && document.getElementById(ITEM_ID_PREFIX + own.after);
      if (own.parent || (own.after && !(after && after.parentElement === list))) {
        list.appendChild(item);
      } else if (after) {
        after.insertAdjacentElement("afterend", item);
      } else {
        list.insertBefore(item, list.firstChild);
      }
      // Counted as shown: the live poll does not offer it as new.
      section.setAttribute("data-count", Number(section.getAttribute("data-count")) + 1);
      placed += 1;
    });
    drawMarks(section);
    return placed;
  }

  // Held replies of this reader: show them under the comment they answer. The reader's own
  // recent comments: the "Edit or delete" line goes under each one.
  function placeOwn() {
    document.querySelectorAll("." + PENDING_CLASS + "[" + PARENT_ATTR + "]").forEach(function (item) {
      const parent = document.getElementById(ITEM_ID_PREFIX + item.getAttribute(PARENT_ATTR));
      if (parent) { childrenOf(parent).appendChild(item); }
    });
    document.querySelectorAll("li[data-own-comment]").forEach(function (line) {
      const item = document.getElementById(ITEM_ID_PREFIX + line.getAttribute("data-own-comment"));
      const body = item && item.querySelector("." + BODY_CLASS);
      if (body) {
        const holder = document.createElement("p");
        holder.className = "own-comment small mb-0";
        holder.id = line.id;  // the address after a deletion names it (#own-comment-N)
        while (line.firstChild) { holder.appendChild(line.firstChild); }
        body.appendChild(holder);
        line.remove();
      }
    });
  }

  // A post sent back (errors, or a preview): its summary has the focus, in view, even after
  // the form moved under the comment it replies to (autofocus does this without the script).
  function land() {
    const landing = document.getElementById("comment-errors") || document.getElementById("comment-preview");
    if (landing) {
      landing.focus();
      landing.scrollIntoView({ block: "start" });
    } else if (location.hash.length > 1) {
      // What the address names may have moved above (a held reply, the reader's own line), or
      // just arrived (their part): the browser scrolled to where it was, or nowhere; put the
      // reader on it again, without animation.
      const named = document.getElementById(decodeURIComponent(location.hash.slice(1)));
      if (named) { named.scrollIntoView({ block: "start" }); }
    }
  }

  const respond = document.getElementById("respond");
  if (!respond) {
    placeOwn();
    land();
    return;
  }
  const form = document.getElementById("commentform");
  const parentField = form && form.querySelector("input[name=parent]");
  const titleText = respond.querySelector(".reply-title-text");
  const cancel = document.getElementById("cancel-comment-reply-link");
  const textarea = form && form.querySelector("textarea[name=comment]");
  // This script fills the reader's part into the shared page: a post may land there.
  if (form && window.fetch) {
    const landing = document.createElement("input");
    landing.type = "hidden";
    landing.name = LANDING_FIELD;
    landing.value = SHARED_LANDING;
    form.appendChild(landing);
  }
  // Where the form lives when it is not replying to anyone.
  const home = document.createElement("div");
  home.id = "respond-home";
  home.hidden = true;
  respond.parentNode.insertBefore(home, respond);

  function replyTo(commentId, author) {
    const item = document.getElementById(ITEM_ID_PREFIX + commentId);
    if (!item || !parentField) { return false; }
    const body = item.querySelector("." + BODY_CLASS);
    body.insertAdjacentElement("afterend", respond);
    parentField.value = commentId;
    titleText.textContent = "Leave a Reply to " + author;
    cancel.hidden = false;
    if (textarea) { textarea.focus(); }
    return true;
  }

  function cancelReply() {
    home.insertAdjacentElement("afterend", respond);
    if (parentField) { parentField.value = ""; }
    titleText.textContent = "Leave a Reply";
    cancel.hidden = true;
  }

  document.addEventListener("click", function (event) {
    const link = event.target.closest("[" + REPLY_TO_ATTR + "]");
    if (link && replyTo(link.getAttribute(REPLY_TO_ATTR), link.getAttribute(AUTHOR_ATTR))) {
      event.preventDefault();
      return;
    }
    if (event.target.closest("#cancel-comment-reply-link")) {
      event.preventDefault();
      cancelReply();
      respond.scrollIntoView({ block: "nearest" });
    }
  });

  // A reply chosen without JavaScript (?replytocom=ID): show the form under that comment too.
  if (parentField && parentField.value) {
    const target = document.querySelector(
      "[" + REPLY_TO_ATTR + "='" + CSS.escape(parentField.value) + "']"
    );
    if (target) { replyTo(parentField.value, target.getAttribute(AUTHOR_ATTR)); }
  }

  placeOwn();
  land();
})();
