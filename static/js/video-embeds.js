// Click-to-play videos in an article (fitness/articles/body_media.py makes the links): until the reader
// clicks, nothing is asked of YouTube or Vimeo; then the link is replaced by the player, from
// youtube-nocookie.com or Vimeo with dnt=1 (the only hosts the CSP's frame-src allows). Without
// JavaScript each stays a plain link to the video.
(function () {
  "use strict";

  // The same shapes as fitness.articles.body_media.VIDEO_HOSTS: any other address stays a link.
  const HOSTS = [
    [/^https:\/\/(?:www\.|m\.)?youtube\.com\/(?:watch\?v=|embed\/|shorts\/)([\w-]{11})(?:[&?#].*)?$/, "https://www.youtube-nocookie.com/embed/", "?autoplay=1", "YouTube"],
    [/^https:\/\/youtu\.be\/([\w-]{11})(?:[?#].*)?$/, "https://www.youtube-nocookie.com/embed/", "?autoplay=1", "YouTube"],
    [/^https:\/\/(?:www\.)?vimeo\.com\/(\d+)(?:[?#].*)?$/, "https://player.vimeo.com/video/", "?dnt=1&autoplay=1", "Vimeo"],
  ];

  function player(href) {
    for (let i = 0; i < HOSTS.length; i++) {
      const match = HOSTS[i][0].exec(href);
      if (match) return { src: HOSTS[i][1] + match[1] + HOSTS[i][2], host: HOSTS[i][3] };
    }
    return null;
  }

  document.querySelectorAll(".article-body a.video-embed").forEach(function (link) {
    const found = player(link.href);
    if (!found) return;
    link.addEventListener("click", function (event) {
      event.preventDefault();
      const frame = document.createElement("iframe");
      frame.src = found.src;
      frame.title = link.textContent.replace(/^Play /, "").replace(/ \(from .*\)$/, "") + " (" + found.host + ")";
      frame.className = "video-frame";
      frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
      frame.allowFullscreen = true;
      // The site sends no Referer to other sites; these players refuse to start without one.
      frame.referrerPolicy = "strict-origin-when-cross-origin";
      link.replaceWith(frame);
      frame.focus();
    });
  });
})();
