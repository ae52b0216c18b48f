// The catalogue import: send the chosen CSV as the request body (so the browser reports upload
// progress), then poll how many rows HQ has read, then show the result HQ sends back (a
// fragment of HTML: the counts, or every problem by row). Without this script the form posts
// multipart and the whole page comes back with the same result.
(function () {
  "use strict";
  const form = document.getElementById("import-form");
  if (!form || !window.XMLHttpRequest || !window.crypto) return;
  const fileInput = document.getElementById("import-file");
  const start = document.getElementById("import-start");
  const box = document.getElementById("import-progress");
  const stage = document.getElementById("import-stage");
  const bar = document.getElementById("import-bar");
  const result = document.getElementById("import-result");
  const POLL_MS = 400;

  function newId() {
    const bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.from(bytes, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }

  // Data rows, counted as lines: near enough for a progress bar (a quoted cell may hold a line
  // break; the bar then stops a little short of full).
  function countRows(text) {
    let lines = 0;
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lines++;
    if (text.length && text.charCodeAt(text.length - 1) !== 10) lines++;
    return Math.max(0, lines - 1);
  }

  function show(text, value, max) {
    stage.textContent = text;
    if (value === null) { bar.removeAttribute("value"); return; }
    bar.max = max;
    bar.value = Math.min(value, max);
  }

  function finish(html) {
    box.hidden = true;
    start.disabled = false;
    fileInput.disabled = false;
    result.innerHTML = html;
    result.focus();
  }

  function message(text) {
    const p = document.createElement("p");
    p.className = "alert error import-outcome";
    p.setAttribute("role", "alert");
    p.textContent = text;
    return p.outerHTML;
  }

  function poll(id, rows, state) {
    if (state.done) return;
    fetch("/catalogue/import/" + id + "/progress", {headers: {Accept: "application/json"}})
      .then(function (reply) { return reply.ok ? reply.json() : null; })
      .then(function (now) {
        if (state.done || !now) return;
        if (now.reading) {
          state.read = true;
          show("Checking rows: " + now.rows_read.toLocaleString() + " of about " +
               rows.toLocaleString() + " read", now.rows_read, Math.max(rows, 1));
        } else if (state.read && now.running) {
          show("All " + rows.toLocaleString() + " rows read; checking the whole file " +
               "(repeated SKUs and barcodes, parents, tax classes) and saving…", null);
        }
      })
      .catch(function () { /* the next poll tries again */ })
      .then(function () { if (!state.done) state.timer = setTimeout(poll, POLL_MS, id, rows, state); });
  }

  form.addEventListener("submit", function (event) {
    const file = fileInput.files && fileInput.files[0];
    if (!file) return;
    event.preventDefault();
    const id = newId();
    const state = {done: false, read: false, timer: null};
    start.disabled = true;
    fileInput.disabled = true;
    result.innerHTML = "";
    box.hidden = false;
    show("Uploading " + file.name + "…", 0, 100);
    file.text().then(function (text) {
      const rows = countRows(text);
      const xhr = new XMLHttpRequest();
      xhr.open("POST", "/catalogue/import?progress=" + id);
      xhr.setRequestHeader("Content-Type", "text/csv");
      xhr.setRequestHeader("X-Requested-With", "catalogue-import");
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) {
          show("Uploading " + file.name + ": " + Math.round(100 * e.loaded / e.total) + " %", e.loaded, e.total);
        }
      });
      xhr.upload.addEventListener("load", function () {
        show("Checking " + rows.toLocaleString() + " row" + (rows === 1 ? "" : "s") + "…", 0, Math.max(rows, 1));
        poll(id, rows, state);
      });
      xhr.addEventListener("load", function () {
        state.done = true;
        clearTimeout(state.timer);
        if (xhr.responseURL.indexOf("/login") >= 0) {
          finish(message("Your sign-in has ended: sign in again, then import the file again. Nothing was imported."));
        } else if (xhr.status === 200 || xhr.status === 422) {
          finish(xhr.responseText);
        } else if (xhr.status === 403) {
          finish(message("Your role may not import products. Nothing was imported."));
        } else {
          finish(message("HQ could not import the file (HTTP " + xhr.status + "). Nothing was imported."));
        }
      });
      xhr.addEventListener("error", function () {
        state.done = true;
        clearTimeout(state.timer);
        finish(message("The upload failed: HQ could not be reached. Nothing was imported."));
      });
      xhr.send(file);
    });
  });
}());
