/*
 * Comments: progressive enhancement only; every link and form works without this file.
 * - Reply links ([data-reply-to]) move the #respond form under the comment, set the hidden
 *   parent field and retitle the form "Leave a Reply to NAME"; "Cancel reply" puts it back.
 * - The reader's own held comments are moved under the comment they reply to.
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

  const respond = document.getElementById("respond");
  if (!respond) { return; }
  const form = document.getElementById("commentform");
  const parentField = form && form.querySelector("input[name=parent]");
  const titleText = respond.querySelector(".reply-title-text");
  const cancel = document.getElementById("cancel-comment-reply-link");
  const textarea = form && form.querySelector("textarea[name=comment]");
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

  // Held replies of this reader: show them under the comment they answer.
  document.querySelectorAll("." + PENDING_CLASS + "[" + PARENT_ATTR + "]").forEach(function (item) {
    const parent = document.getElementById(ITEM_ID_PREFIX + item.getAttribute(PARENT_ATTR));
    if (!parent) { return; }
    let children = parent.querySelector(":scope > ol." + CHILDREN_CLASS);
    if (!children) {
      children = document.createElement("ol");
      children.className = CHILDREN_CLASS;
      parent.appendChild(children);
    }
    children.appendChild(item);
  });

  // The reader's own recent comments: the "Edit or delete" line goes under each one.
  document.querySelectorAll("[data-own-comment]").forEach(function (line) {
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

  // A post sent back (errors, or a preview): its summary has the focus, in view, even after
  // the form moved under the comment it replies to (autofocus does this without the script).
  const landing = document.getElementById("comment-errors") || document.getElementById("comment-preview");
  if (landing) {
    landing.focus();
    landing.scrollIntoView({ block: "start" });
  } else if (location.hash.length > 1) {
    // What the address names may have moved above (a held reply, the reader's own line): the
    // browser scrolled to where it was; put the reader on it again, without animation.
    const named = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (named) { named.scrollIntoView({ block: "start" }); }
  }
})();
