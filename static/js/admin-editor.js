// The article body's editor in the admin (fitness/articles/editor.py, templates/fitness/admin/body_editor.html):
// a preview of the body as readers will see it, refreshed as the author types (debounced), and
// the media library: pick an image or upload one, its Markdown inserted at the cursor.
// The admin loads it in <head>: it starts once the page is parsed.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";

  var editor = document.querySelector(".body-editor");
  if (!editor) return;
  var textarea = document.getElementById(editor.dataset.textarea);
  // The preview is drawn with the reader's stylesheets in a shadow root: the admin's CSS
  // (its h2 bars, its indented lists) stays out, and the site's stays in.
  var previewHost = document.getElementById("body-preview");
  var shadow = previewHost.attachShadow({ mode: "open" });
  editor.dataset.stylesheets.split(" ").forEach(function (href) {
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    shadow.appendChild(link);
  });
  var page = document.createElement("div");
  page.className = "preview-page";
  page.dataset.bsTheme = "light";
  var article = document.createElement("article");
  article.className = "article";
  var preview = document.createElement("div");
  preview.className = "article-body";
  preview.id = "body-preview-body";
  preview.textContent = "Loading the preview…";
  article.appendChild(preview);
  page.appendChild(article);
  shadow.appendChild(page);
  var problems = document.getElementById("body-preview-problems");
  var csrf = document.querySelector("input[name=csrfmiddlewaretoken]");
  var featured = document.getElementById("id_featured_image");

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf ? csrf.value : "" },
    });
  }

  // --- Preview --------------------------------------------------------------------------------
  var timer = null;
  var sent = 0;

  function showProblems(list) {
    problems.replaceChildren();
    if (!list.length) return;
    var intro = document.createElement("p");
    intro.textContent = "Readers will not see everything as you wrote it:";
    var items = document.createElement("ul");
    list.forEach(function (text) {
      var item = document.createElement("li");
      item.textContent = text;
      items.appendChild(item);
    });
    problems.append(intro, items);
  }

  function refresh() {
    var data = new FormData();
    data.append("body", textarea.value);
    var ticket = ++sent;
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
    var start = textarea.selectionStart;
    var end = textarea.selectionEnd;
    var before = textarea.value.slice(0, start);
    var after = textarea.value.slice(end);
    // An image is a paragraph of its own: blank lines around it.
    var lead = before === "" || /\n\n$/.test(before) ? "" : /\n$/.test(before) ? "\n" : "\n\n";
    var trail = after === "" || /^\n\n/.test(after) ? "" : /^\n/.test(after) ? "\n" : "\n\n";
    var text = lead + markdown + trail;
    textarea.setRangeText(text, start, end, "end");
    textarea.focus();
    refresh();
  }

  function useAsFeatured(image) {
    if (!featured) return;
    var option = featured.querySelector("option[value='" + image.id + "']");
    if (!option) {
      option = new Option(image.alt, String(image.id));
      featured.add(option);
    }
    featured.value = String(image.id);
    featured.dispatchEvent(new Event("change", { bubbles: true }));
  }

  var list = document.getElementById("media-library-list");

  function libraryItem(image) {
    var item = document.createElement("li");
    var img = document.createElement("img");
    img.src = image.thumb;
    img.alt = "";
    img.width = 144;
    img.height = 96;
    img.loading = "lazy";
    var alt = document.createElement("p");
    alt.className = "media-alt";
    alt.textContent = image.label;
    var insert = document.createElement("button");
    insert.type = "button";
    insert.className = "button";
    insert.textContent = "Insert";
    insert.setAttribute("aria-label", "Insert " + image.alt + " into the body");
    insert.addEventListener("click", function () {
      insertAtCursor(image.markdown);
    });
    item.append(img, alt, insert);
    if (featured) {
      var feature = document.createElement("button");
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

  var searchTimer = null;

  function loadLibrary() {
    var query = document.getElementById("media-library-search").value;
    var url = editor.dataset.libraryUrl + "?q=" + encodeURIComponent(query);
    fetch(url, { credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.json() : { images: [] };
      })
      .then(function (result) {
        list.replaceChildren.apply(list, result.images.map(libraryItem));
      });
  }

  var library = document.getElementById("media-library");
  library.addEventListener("toggle", function () {
    if (library.open) loadLibrary();
  });
  document.getElementById("media-library-search").addEventListener("input", function () {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(loadLibrary, 300);
  });

  var status = document.getElementById("media-upload-status");
  document.getElementById("media-upload-button").addEventListener("click", function () {
    var file = document.getElementById("media-upload-file");
    var alt = document.getElementById("media-upload-alt");
    var caption = document.getElementById("media-upload-caption");
    status.className = "media-library-status";
    if (!file.files.length) {
      status.classList.add("error");
      status.textContent = "Choose an image file first.";
      return;
    }
    var data = new FormData();
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
          var errors = answer.result.errors || {};
          status.classList.add("error");
          status.textContent = Object.keys(errors)
            .map(function (name) {
              return errors[name].join(" ");
            })
            .join(" ");
          return;
        }
        var image = answer.result.image;
        status.textContent = "Uploaded and inserted: " + image.label + ".";
        file.value = "";
        alt.value = "";
        caption.value = "";
        insertAtCursor(image.markdown);
        list.prepend(libraryItem(image));
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
