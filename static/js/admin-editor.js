// The article body's editor in the admin (fitness/articles/editor.py, templates/fitness/admin/body_editor.html):
// a preview of the body as readers will see it, refreshed as the author types (debounced), and
// the media library: pick an image or upload one, its Markdown inserted at the cursor.
(function () {
  "use strict";

  // The admin loads this file in <head>: it starts once the page is parsed.
  document.addEventListener("DOMContentLoaded", function () {
    const editor = document.querySelector(".body-editor");
    if (!editor) return;
    const textarea = document.getElementById(editor.dataset.textarea);
    // The preview is drawn with the reader's stylesheets in a shadow root: the admin's CSS
    // (its h2 bars, its indented lists) stays out, and the site's stays in.
    const previewHost = document.getElementById("body-preview");
    const shadow = previewHost.attachShadow({ mode: "open" });
    editor.dataset.stylesheets.split(" ").forEach(function (href) {
      const link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = href;
      shadow.appendChild(link);
    });
    const page = document.createElement("div");
    page.className = "preview-page";
    page.dataset.bsTheme = "light";
    const article = document.createElement("article");
    article.className = "article";
    const preview = document.createElement("div");
    preview.className = "article-body";
    preview.id = "body-preview-body";
    preview.textContent = "Loading the preview…";
    article.appendChild(preview);
    page.appendChild(article);
    shadow.appendChild(page);
    const problems = document.getElementById("body-preview-problems");
    const csrf = document.querySelector("input[name=csrfmiddlewaretoken]");
    const featured = document.getElementById("id_featured_image");

    function post(url, body) {
      return fetch(url, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrf ? csrf.value : "" },
      });
    }

    // --- Preview --------------------------------------------------------------------------------
    let timer = null;
    let sent = 0;

    function showProblems(list) {
      problems.replaceChildren();
      if (!list.length) return;
      const intro = document.createElement("p");
      intro.textContent = "Readers will not see everything as you wrote it:";
      const items = document.createElement("ul");
      list.forEach(function (text) {
        const item = document.createElement("li");
        item.textContent = text;
        items.appendChild(item);
      });
      problems.append(intro, items);
    }

    function refresh() {
      const data = new FormData();
      data.append("body", textarea.value);
      const ticket = ++sent;
      post(editor.dataset.previewUrl, data)
        .then(function (response) {
          if (!response.ok) throw new Error("HTTP " + response.status);
          return response.json();
        })
        .then(function (result) {
          if (ticket !== sent) return; // a later keystroke's answer is on its way
          // The server's HTML is the page's own: sanitised by nh3 exactly as the article will be.
          preview.innerHTML = result.html;
          // A link followed from the preview opens beside the editor, never instead of it.
          preview.querySelectorAll("a[href]").forEach(function (link) {
            link.target = "_blank";
            link.rel = "noopener noreferrer";
          });
          showProblems(result.problems);
          preview.dataset.state = "ready";
        })
        .catch(function (error) {
          preview.dataset.state = "error";
          showProblems(["The preview could not be refreshed (" + error.message + ")."]);
        });
    }

    function schedule() {
      clearTimeout(timer);
      timer = setTimeout(refresh, 400);
    }

    textarea.addEventListener("input", schedule);
    refresh();

    // --- Media library --------------------------------------------------------------------------
    function insertAtCursor(markdown) {
      const start = textarea.selectionStart;
      const end = textarea.selectionEnd;
      const before = textarea.value.slice(0, start);
      const after = textarea.value.slice(end);
      // An image is a paragraph of its own: blank lines around it.
      const lead = before === "" || /\n\n$/.test(before) ? "" : /\n$/.test(before) ? "\n" : "\n\n";
      const trail = after === "" || /^\n\n/.test(after) ? "" : /^\n/.test(after) ? "\n" : "\n\n";
      const text = lead + markdown + trail;
      textarea.setRangeText(text, start, end, "end");
      textarea.focus();
      refresh();
    }

    function useAsFeatured(image) {
      if (!featured) return;
      let option = featured.querySelector("option[value='" + image.id + "']");
      if (!option) {
        option = new Option(image.alt, String(image.id));
        featured.add(option);
      }
      featured.value = String(image.id);
      featured.dispatchEvent(new Event("change", { bubbles: true }));
    }

    const list = document.getElementById("media-library-list");
    const status = document.getElementById("media-upload-status");

    const stateWords = {
      processing: "Processing… (the original is shown meanwhile)",
      failed: "Resized copies failed (see the image in the admin); the original is shown",
    };

    function libraryItem(image) {
      const item = document.createElement("li");
      item.dataset.imageId = String(image.id);
      item.dataset.state = image.state;
      const img = document.createElement("img");
      img.src = image.thumb;
      img.alt = "";
      img.width = 144;
      img.height = 96;
      img.loading = "lazy";
      const alt = document.createElement("p");
      alt.className = "media-alt";
      alt.textContent = image.label;
      const insert = document.createElement("button");
      insert.type = "button";
      insert.className = "button";
      insert.textContent = "Insert";
      insert.setAttribute("aria-label", "Insert " + image.alt + " into the body");
      insert.addEventListener("click", function () {
        insertAtCursor(image.markdown);
      });
      item.append(img, alt);
      if (stateWords[image.state]) {
        const state = document.createElement("p");
        state.className = "media-state media-state-" + image.state;
        state.textContent = stateWords[image.state];
        item.append(state);
      }
      item.append(insert);
      if (featured) {
        const feature = document.createElement("button");
        feature.type = "button";
        feature.className = "button";
        feature.textContent = "Featured";
        feature.setAttribute("aria-label", "Use " + image.alt + " as the featured image");
        feature.addEventListener("click", function () {
          useAsFeatured(image);
        });
        item.append(feature);
      }
      return item;
    }

    let searchTimer = null;

    function loadLibrary() {
      const query = document.getElementById("media-library-search").value;
      const url = editor.dataset.libraryUrl + "?q=" + encodeURIComponent(query);
      fetch(url, { credentials: "same-origin" })
        .then(function (response) {
          return response.ok ? response.json() : { images: [] };
        })
        .then(function (result) {
          list.replaceChildren.apply(list, result.images.map(libraryItem));
          result.images.forEach(function (image) {
            if (image.state === "processing") watch(image.id);
          });
        });
    }

    // An image whose renditions are being made (a task, after its upload) is asked about again
    // every few seconds until it is ready or failed; then its item is redrawn and the preview
    // rendered again with its resized copies. At most for ten minutes.
    const watched = new Set();
    let watchTimer = null;
    let watchRounds = 0;

    function watch(id) {
      watched.add(id);
      if (watchTimer === null) {
        watchRounds = 0;
        watchTimer = setTimeout(askAgain, 2000);
      }
    }

    function askAgain() {
      watchTimer = null;
      watchRounds += 1;
      const ids = Array.from(watched).join(",");
      fetch(editor.dataset.libraryUrl + "?ids=" + encodeURIComponent(ids), {
        credentials: "same-origin",
      })
        .then(function (response) {
          return response.ok ? response.json() : { images: [] };
        })
        .then(function (result) {
          let changed = false;
          result.images.forEach(function (image) {
            if (image.state === "processing") return;
            watched.delete(image.id);
            changed = true;
            const old = list.querySelector("li[data-image-id='" + image.id + "']");
            if (old) old.replaceWith(libraryItem(image));
            status.textContent =
              image.state === "ready"
                ? "The resized copies of " + image.label + " are ready."
                : "The resized copies of " + image.label + " failed: readers see the original.";
          });
          if (changed) refresh();
        })
        .catch(function () {})
        .then(function () {
          if (watched.size && watchRounds < 300) watchTimer = setTimeout(askAgain, 2000);
        });
    }

    const library = document.getElementById("media-library");
    library.addEventListener("toggle", function () {
      if (library.open) loadLibrary();
    });
    document.getElementById("media-library-search").addEventListener("input", function () {
      clearTimeout(searchTimer);
      searchTimer = setTimeout(loadLibrary, 300);
    });

    document.getElementById("media-upload-button").addEventListener("click", function () {
      const file = document.getElementById("media-upload-file");
      const alt = document.getElementById("media-upload-alt");
      const caption = document.getElementById("media-upload-caption");
      status.className = "media-library-status";
      if (!file.files.length) {
        status.classList.add("error");
        status.textContent = "Choose an image file first.";
        return;
      }
      const data = new FormData();
      data.append("file", file.files[0]);
      data.append("alt", alt.value);
      data.append("caption", caption.value);
      status.textContent = "Uploading…";
      post(editor.dataset.uploadUrl, data)
        .then(function (response) {
          return response.json().then(function (result) {
            return { ok: response.ok, result: result };
          });
        })
        .then(function (answer) {
          if (!answer.ok) {
            const errors = answer.result.errors || {};
            status.classList.add("error");
            status.textContent = Object.keys(errors)
              .map(function (name) {
                return errors[name].join(" ");
              })
              .join(" ");
            return;
          }
          const image = answer.result.image;
          status.textContent =
            "Uploaded and inserted: " + image.label + "." +
            (image.state === "processing" ? " Processing… (making its resized copies)" : "");
          file.value = "";
          alt.value = "";
          caption.value = "";
          insertAtCursor(image.markdown);
          list.prepend(libraryItem(image));
          if (image.state === "processing") watch(image.id);
          if (featured && !featured.querySelector("option[value='" + image.id + "']")) {
            featured.add(new Option(image.alt, String(image.id)));
          }
        })
        .catch(function (error) {
          status.classList.add("error");
          status.textContent = "The upload failed (" + error.message + ").";
        });
    });
  });
})();
