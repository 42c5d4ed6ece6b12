/*
 * Times in the reader's own zone. The server writes them in its zone and names it
 * ("5:35 p.m. UTC", "January 2, 2020 at 3:30 a.m. UTC"), so that a page is the same bytes for
 * every reader and any cache may share it; this rewrites each in the browser's zone, in the
 * same words. Without JavaScript the server's text stays, its zone named.
 * - <time data-local-time="clock">: a clock time (templates/comments/local_time.html).
 * - .comment-date > time: a comment's date (comments/threads/rendering.py).
 * window.localizeTimes(element) does the same for what a script adds to the page later.
 */
(function () {
  "use strict";

  const CLOCK_SELECTOR = "time[data-local-time]";
  const DATE_SELECTOR = ".comment-date > time";

  let format;
  try {
    format = new Intl.DateTimeFormat("en-US", {
      year: "numeric", month: "long", day: "numeric",
      hour: "numeric", minute: "2-digit", hour12: true, timeZoneName: "short",
    });
  } catch {
    return;  // no Intl: the server's text, its zone named, stays
  }

  function parts(element) {
    const when = new Date(element.getAttribute("datetime"));
    if (isNaN(when.getTime())) { return null; }
    const found = {};
    format.formatToParts(when).forEach(function (part) { found[part.type] = part.value; });
    // As Django writes them: "3:30 a.m.", "p.m." for PM.
    const period = (found.dayPeriod || "").toUpperCase() === "PM" ? "p.m." : "a.m.";
    found.clock = found.hour + ":" + found.minute + " " + period + " " + found.timeZoneName;
    return found;
  }

  function localize(root) {
    root.querySelectorAll(CLOCK_SELECTOR).forEach(function (element) {
      const found = parts(element);
      if (found) { element.textContent = found.clock; }
    });
    root.querySelectorAll(DATE_SELECTOR).forEach(function (element) {
      const found = parts(element);
      if (found) {
        element.textContent = found.month + " " + found.day + ", " + found.year + " at " + found.clock;
      }
    });
  }
  localize(document);
  // For what another script adds later (static/js/comments.js: the reader's own part).
  window.localizeTimes = localize;
})();
