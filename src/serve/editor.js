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
        if (answer.ok) output.textContent = form.dataset.saved;
        else if (answer.changed) output.textContent = form.dataset.changed;
        else output.textContent = form.dataset.failed + " " + answer.error;
      });
    }).catch(function (error) { output.textContent = form.dataset.failed + " " + error; });
  }
  // A review vouches for the text as the page shows it: the page's fingerprint of its file goes
  // along, and the server refuses when the file has changed since.
  function send(form, page, fingerprint) {
    var input = form.querySelector("input[name=reviewer]");
    if (!input.reportValidity()) return;
    try { window.localStorage.setItem(remembered, input.value.trim()); } catch (e) { /* private mode */ }
    post(form, "/_edit/review", { page: page, name: input.value, opened: fingerprint });
  }
  // The review page lists items; the fingerprint is the one the item's own page carries.
  function sendFromList(form, page) {
    fetch(page).then(function (response) { return response.text(); }).then(function (html) {
      var built = new DOMParser().parseFromString(html, "text/html").querySelector("form.mark-reviewed[data-fingerprint]");
      send(form, page, built ? built.getAttribute("data-fingerprint") : "");
    }).catch(function (error) { form.querySelector("output").textContent = form.dataset.failed + " " + error; });
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
      if (!form.closest("#review-board")) send(form, window.location.pathname, form.dataset.fingerprint || "");
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
      sendFromList(form, new URL(button.closest("tr").querySelector("a").href).pathname);
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
    var source = document.getElementById("source");
    // The file's exact text: a text area turns CR LF into LF, so the form's changes are made to
    // this copy, and the text area is the copy only once the trainer types in it.
    var exact = JSON.parse(document.getElementById("editor-exact").textContent).text;
    var waiting = null;
    function post(address, request) {
      request.page = editor.dataset.page;
      return fetch(address, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Touchbook-Token": token },
        body: JSON.stringify(request)
      }).then(function (response) { return response.json(); });
    }
    // check's words for each field: under the field it concerns, and all of them in the list.
    function place(at) {
      document.querySelectorAll(".field-problems").forEach(function (p) { p.textContent = ""; p.hidden = true; });
      document.querySelectorAll("[aria-invalid]").forEach(function (field) { field.removeAttribute("aria-invalid"); });
      (at || []).forEach(function (problem) {
        if (!problem.field) return;
        var shown = document.getElementById("problems-" + problem.field);
        if (!shown) return;
        shown.textContent = (shown.textContent ? shown.textContent + "\n" : "") + problem.text;
        shown.hidden = false;
        var field = document.querySelector("[data-field='" + problem.field + "'] [aria-describedby~='problems-" + problem.field + "']");
        if (field) field.setAttribute("aria-invalid", "true");
      });
    }
    // The page as the text would make it, in a frame that runs no script. (serve's own pages
    // may not be framed, so the preview is always this copy.) Only the answer to the latest
    // text counts.
    var asked = 0;
    function preview() {
      var mine = ++asked;
      post("/_edit/preview", { text: exact }).then(function (answer) {
        if (!answer.ok || mine !== asked) return;
        var found = document.getElementById("editor-diagnostics");
        found.textContent = answer.diagnostics || found.dataset.clean;
        place(answer.at);
        if (answer.html) document.getElementById("editor-preview").srcdoc = answer.html;
      });
    }
    function later(task) {
      window.clearTimeout(waiting);
      waiting = window.setTimeout(task, 400);
    }
    // The form: each field's value as last made into the text; only fields that differ from
    // it are sent, so the rest of the file stays as it is.
    function valueOf(field) {
      var widget = field.dataset.widget;
      if (widget === "flag") return field.checked;
      if (widget === "number") return field.value === "" ? null : Number(field.value);
      if (widget === "list") return field.value.split(",").map(function (w) { return w.trim(); }).filter(function (w) { return w; });
      if (widget === "lines") return field.value.split("\n").map(function (w) { return w.trim(); }).filter(function (w) { return w; });
      if (widget === "leaves-out") {
        var rows = [];
        field.querySelectorAll("li").forEach(function (item) {
          var box = item.querySelector("input[data-item]");
          if (box.checked) rows.push({ item: box.dataset.item, why: item.querySelector("input[data-why]").value.trim() });
        });
        return rows.length ? rows : null;
      }
      if (widget === "campaign") {
        var parts = {};
        var any = false;
        field.querySelectorAll("[data-part]").forEach(function (input) {
          parts[input.dataset.part] = input.value.trim();
          any = any || parts[input.dataset.part] !== "";
        });
        return any ? parts : null;
      }
      if (widget === "choices") {
        return Array.prototype.map.call(field.querySelectorAll("ul input[type=checkbox]:checked"), function (box) { return box.value; });
      }
      return field.value;
    }
    var fields = Array.prototype.slice.call(editor.querySelectorAll("[data-key]"));
    var sections = Array.prototype.slice.call(editor.querySelectorAll("textarea[data-section]"));
    var made = new Map();
    fields.forEach(function (field) { made.set(field, JSON.stringify(valueOf(field))); });
    sections.forEach(function (area) { made.set(area, area.value); });
    // The place in the file the next added section takes.
    var adder = document.getElementById("editor-add-section");
    var next = adder ? Number(adder.dataset.next) : 0;
    // One compose at a time, each made from the form as it is when its turn comes, so that no
    // answer lands on a text a later one was made from. Each resolves to whether the text now
    // holds what the form says.
    var composing = Promise.resolve(true);
    function compose() {
      composing = composing.then(composeNow, composeNow);
      return composing;
    }
    function composeNow() {
      var changes = { keys: {}, sections: [] };
      var sent = [];
      fields.forEach(function (field) {
        var value = JSON.stringify(valueOf(field));
        if (value !== made.get(field)) { changes.keys[field.dataset.key] = JSON.parse(value); sent.push([field, value]); }
      });
      sections.forEach(function (area) {
        // An added section is written once it has text: on a translation, an empty one
        // would hide the central section.
        var added = area.dataset.added === "true";
        if (added && !area.value.trim()) return;
        if (area.value !== made.get(area)) {
          changes.sections.push({ index: Number(area.dataset.section), heading: area.dataset.heading, text: area.value, added: added });
          sent.push([area, area.value]);
        }
      });
      if (!sent.length) return Promise.resolve(true);
      return post("/_edit/compose", { text: exact, changes: changes }).then(function (answer) {
        var status = document.getElementById("editor-status");
        if (!answer.ok) { status.textContent = editor.dataset.failed + " " + answer.error; return false; }
        exact = answer.text;
        source.value = exact;
        sent.forEach(function (pair) { made.set(pair[0], pair[1]); delete pair[0].dataset.added; });
        next = Math.max(next, answer.sections);
        preview();
        return true;
      });
    }
    // "Add a section": a text area for it after the others; once it has text, a compose writes
    // its heading at the end of the file, and from then on it is a section like the others.
    if (adder) {
      document.getElementById("add-section-other").addEventListener("keydown", function (event) {
        // Enter adds the section rather than saving the file.
        if (event.key === "Enter") {
          event.preventDefault();
          document.getElementById("add-section-button").click();
        }
      });
      document.getElementById("add-section-button").addEventListener("click", function () {
        var select = document.getElementById("add-section");
        var other = document.getElementById("add-section-other");
        var written = other.value.trim().replace(/^#+\s*/, "");
        var heading = written ? "## " + written : (select ? select.value : "");
        if (!heading) { (select || other).focus(); return; }
        var index = next++;
        var field = document.createElement("div");
        field.className = "field";
        field.dataset.field = "section-" + index;
        var label = document.createElement("label");
        label.htmlFor = "section-" + index;
        label.textContent = written || select.options[select.selectedIndex].textContent;
        var area = document.createElement("textarea");
        area.id = "section-" + index;
        area.dataset.section = String(index);
        area.dataset.heading = heading;
        area.dataset.added = "true";
        area.rows = 6;
        area.cols = 100;
        area.value = "\n";
        area.setAttribute("aria-describedby", "problems-section-" + index);
        var problems = document.createElement("p");
        problems.className = "field-problems";
        problems.id = "problems-section-" + index;
        problems.hidden = true;
        field.append(label, document.createElement("br"), area, problems);
        adder.parentNode.insertBefore(field, adder);
        sections.push(area);
        made.set(area, null);
        // The section is offered no more, chosen or typed.
        if (select) {
          Array.prototype.slice.call(select.options, 1).forEach(function (option) {
            var chosen = written ? option.textContent.toLowerCase() === written.toLowerCase() : option.selected;
            if (chosen) option.remove();
          });
          select.value = "";
        }
        other.value = "";
        area.focus();
        area.selectionStart = area.selectionEnd = area.value.length;
      });
    }
    var form = document.getElementById("editor-form");
    if (form) {
      form.addEventListener("input", function (event) {
        if (event.target.matches("[data-filter]")) return;
        // A reason written for an item leaves it out.
        if (event.target.matches("[data-why]") && event.target.value.trim()) {
          event.target.closest("li").querySelector("input[data-item]").checked = true;
        }
        later(compose);
      });
      form.addEventListener("change", function (event) {
        if (!event.target.matches("[data-filter]")) later(compose);
      });
      // A list of items narrowed to the titles holding what is typed.
      form.querySelectorAll("[data-filter]").forEach(function (filter) {
        filter.addEventListener("input", function () {
          var wanted = filter.value.trim().toLowerCase();
          document.querySelectorAll("#choices-" + filter.dataset.filter + " li").forEach(function (item) {
            item.hidden = wanted !== "" && item.textContent.toLowerCase().indexOf(wanted) === -1;
          });
        });
      });
    }
    source.addEventListener("input", function () {
      exact = source.value;
      later(preview);
    });
    preview();
    editor.addEventListener("submit", function (event) {
      event.preventDefault();
      var status = document.getElementById("editor-status");
      var conflict = document.getElementById("editor-conflict");
      var found = document.getElementById("editor-diagnostics");
      status.textContent = "";
      window.clearTimeout(waiting);
      // Text changed in the text area (not through the form) is what is saved.
      if (source.value !== exact.replace(/\r\n?/g, "\n")) exact = source.value;
      // What was typed in the form a moment ago is made into the text first.
      compose().then(function (composed) {
        // A refused compose has said why; saving now would leave out what the form says.
        return composed ? post("/_edit/save", { text: exact, opened: editor.dataset.opened }) : null;
      }).then(function (answer) {
        if (!answer) return;
        if (answer.ok) {
          editor.dataset.opened = answer.opened;
          conflict.hidden = true;
          status.textContent = answer.errors ? editor.dataset.kept : editor.dataset.saved;
          found.textContent = answer.diagnostics || found.dataset.clean;
          preview();
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
  // "Log this week" on a division's rollout page opens the check-in form for it.
  document.querySelectorAll(".log-week-editor[data-editor]").forEach(function (paragraph) {
    paragraph.querySelector("a").href = "/_edit/checkin?page=" + encodeURIComponent(window.location.pathname);
    paragraph.hidden = false;
  });
  // The check-in form: sends the week; check's words when it cannot be logged as it is.
  var log = document.getElementById("log-week");
  if (log) {
    log.addEventListener("submit", function (event) {
      event.preventDefault();
      var status = document.getElementById("log-status");
      var found = document.getElementById("log-diagnostics");
      var value = function (name) { var field = log.elements[name]; return field ? field.value.trim() : ""; };
      var number = function (name) { var text = value(name); return text === "" ? null : Number(text); };
      var week = {
        number: number("number"),
        team: value("team"),
        "held-on": value("held-on"),
        attendees: number("attendees"),
        practised: Array.prototype.map.call(log.querySelectorAll("input[name=practised]:checked"), function (box) { return box.value; }),
        action: value("action"),
        obstacle: number("obstacle"),
        "obstacle-note": value("obstacle-note"),
        share: log.elements.share.checked
      };
      status.textContent = "";
      fetch("/_edit/checkin", {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Touchbook-Token": token },
        body: JSON.stringify({ page: log.dataset.page, week: week })
      }).then(function (response) { return response.json(); }).then(function (answer) {
        found.textContent = answer.diagnostics || "";
        found.hidden = !answer.diagnostics;
        if (answer.ok) status.textContent = log.dataset.saved;
        else if (answer.logged) status.textContent = log.dataset.logged;
        else status.textContent = log.dataset.failed + " " + (answer.error || "");
      }).catch(function (error) { status.textContent = log.dataset.failed + " " + error; });
    });
  }
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
