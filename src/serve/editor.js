// touchbook serve's editor: shows the "Mark reviewed" and "Mark as up to date" forms and sends
// them with the session's token. The reviewer's name is asked once and remembered in the
// browser; after a save, live reload shows the change.
(function () {
  "use strict";
  var token = document.currentScript.getAttribute("data-token");
  var remembered = "touchbook-reviewer";
  // While a page waits to open the editor, the rebuild its request causes must not reload it.
  function leaving(yes) {
    if (yes) document.documentElement.setAttribute("data-touchbook-leaving", "");
    else document.documentElement.removeAttribute("data-touchbook-leaving");
  }
  function post(form, address, request) {
    var output = form.querySelector("output");
    output.textContent = "";
    fetch(address, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Touchbook-Token": token },
      body: JSON.stringify(request)
    }).then(function (response) {
      return response.json().then(function (answer) {
        output.textContent = answer.ok ? form.dataset.saved : form.dataset.failed + " " + answer.error;
      });
    }).catch(function (error) { output.textContent = form.dataset.failed + " " + error; });
  }
  function send(form, page) {
    var input = form.querySelector("input[name=reviewer]");
    if (!input.reportValidity()) return;
    try { window.localStorage.setItem(remembered, input.value.trim()); } catch (e) { /* private mode */ }
    post(form, "/_edit/review", { page: page, name: input.value });
  }
  // A division's outdated translation: "Mark as up to date" once it has been brought up to date.
  document.querySelectorAll("form.mark-current[data-editor]").forEach(function (form) {
    form.hidden = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      post(form, "/_edit/refresh", { page: window.location.pathname });
    });
  });
  document.querySelectorAll("form.mark-reviewed[data-editor]").forEach(function (form) {
    var input = form.querySelector("input[name=reviewer]");
    try { input.value = window.localStorage.getItem(remembered) || ""; } catch (e) { /* private mode */ }
    form.hidden = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      // On the review page the form only holds the name; the rows' buttons send.
      if (!form.closest("#review-board")) send(form, window.location.pathname);
    });
  });
  // The review page: a button on every row marks that row's page reviewed.
  var board = document.getElementById("review-board");
  var form = board && board.querySelector("form.mark-reviewed");
  if (board && form) {
    var label = form.querySelector("button").textContent;
    form.querySelector("button").hidden = true;
    board.querySelectorAll("tr[data-review-row]").forEach(function (row) {
      var cell = row.querySelector("[data-review-status]").parentNode;
      var button = document.createElement("button");
      button.type = "button";
      button.setAttribute("data-mark-reviewed", "");
      button.textContent = label;
      button.setAttribute("aria-label", label + ": " + row.querySelector("a").textContent);
      cell.appendChild(document.createTextNode(" "));
      cell.appendChild(button);
    });
    board.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-mark-reviewed]");
      if (!button) return;
      send(form, new URL(button.closest("tr").querySelector("a").href).pathname);
    });
  }
  // "Edit" on an item's page opens the edit page of its file.
  document.querySelectorAll(".upkeep form.mark-reviewed[data-editor]").forEach(function (form) {
    var link = document.createElement("a");
    link.className = "edit-in-browser";
    link.href = "/_edit/page?page=" + encodeURIComponent(window.location.pathname);
    link.textContent = form.dataset.edit;
    var paragraph = document.createElement("p");
    paragraph.appendChild(link);
    form.parentNode.insertBefore(paragraph, form);
  });
  // The edit page: saves the text unless the file changed since it was opened, and shows what
  // touchbook check says about the file now.
  var editor = document.getElementById("touchbook-editor");
  if (editor) {
    // While typing: check's words for the text and the page it makes, a moment after the last key.
    var source = document.getElementById("source");
    var waiting = null;
    // The page as the text would make it, in a frame that runs no script. (serve's own pages
    // may not be framed, so the preview is always this copy.)
    var asked = 0;
    function preview() {
      var mine = ++asked;
      fetch("/_edit/preview", {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Touchbook-Token": token },
        body: JSON.stringify({ page: editor.dataset.page, text: source.value })
      }).then(function (response) { return response.json(); }).then(function (answer) {
        // Only the answer to the latest text counts.
        if (!answer.ok || mine !== asked) return;
        var found = document.getElementById("editor-diagnostics");
        found.textContent = answer.diagnostics || found.dataset.clean;
        if (answer.html) document.getElementById("editor-preview").srcdoc = answer.html;
      });
    }
    source.addEventListener("input", function () {
      window.clearTimeout(waiting);
      waiting = window.setTimeout(preview, 400);
    });
    preview();
    editor.addEventListener("submit", function (event) {
      event.preventDefault();
      var status = document.getElementById("editor-status");
      var conflict = document.getElementById("editor-conflict");
      var found = document.getElementById("editor-diagnostics");
      status.textContent = "";
      fetch("/_edit/save", {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Touchbook-Token": token },
        body: JSON.stringify({ page: editor.dataset.page, text: document.getElementById("source").value, opened: editor.dataset.opened })
      }).then(function (response) { return response.json(); }).then(function (answer) {
        if (answer.ok) {
          editor.dataset.opened = answer.opened;
          conflict.hidden = true;
          status.textContent = answer.errors ? editor.dataset.kept : editor.dataset.saved;
          found.textContent = answer.diagnostics || found.dataset.clean;
        } else if (answer.conflict) {
          document.getElementById("current").value = answer.current;
          conflict.hidden = false;
          status.textContent = editor.dataset.failed;
        } else {
          status.textContent = editor.dataset.failed + " " + answer.error;
        }
      }).catch(function (error) { status.textContent = editor.dataset.failed + " " + error; });
    });
  }
  // "Translate" on a division's page still showing the central text: starts the translation
  // (as touchbook localise does) and opens it for editing.
  document.querySelectorAll("form.translate[data-editor]").forEach(function (form) {
    form.hidden = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      leaving(true);
      fetch("/_edit/translate", {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Touchbook-Token": token },
        body: JSON.stringify({ page: window.location.pathname })
      }).then(function (response) { return response.json(); }).then(function (answer) {
        if (answer.ok) window.location.href = answer.edit;
        else { leaving(false); form.querySelector("output").textContent = form.dataset.failed + " " + answer.error; }
      }).catch(function (error) { leaving(false); form.querySelector("output").textContent = form.dataset.failed + " " + error; });
    });
  });
  // "New touch point" (and the other kinds) on a list: makes the file and opens its edit page.
  document.querySelectorAll("form.new-item[data-editor]").forEach(function (form) {
    var heading = document.querySelector("main h1");
    if (heading) heading.parentNode.insertBefore(form, heading.nextSibling);
    form.hidden = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var output = form.querySelector("output");
      output.textContent = "";
      leaving(true);
      fetch("/_edit/new", {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Touchbook-Token": token },
        body: JSON.stringify({ page: window.location.pathname, title: form.querySelector("input[name=title]").value })
      }).then(function (response) { return response.json(); }).then(function (answer) {
        if (answer.ok) window.location.href = answer.edit;
        else { leaving(false); output.textContent = form.dataset.failed + " " + answer.error; }
      }).catch(function (error) { leaving(false); output.textContent = form.dataset.failed + " " + error; });
    });
  });
})();
