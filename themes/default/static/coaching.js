// Coaching and practice: the self-check ("Practise") and the printing of meeting packs.
// Everything stays in the browser: progress is kept in localStorage, nothing is fetched or sent.
(function () {
  "use strict";

  // A closed meeting pack still prints whole: open every pack while printing.
  var opened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.pack-details:not([open])").forEach(function (d) {
      d.open = true;
      opened.push(d);
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });

  var fill = function (text, values) {
    return text.replace(/\{(\w+)\}/g, function (all, key) { return key in values ? String(values[key]) : all; });
  };
  var element = function (tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  };
  // Fisher–Yates: every order equally likely.
  var shuffle = function (list) {
    for (var i = list.length - 1; i > 0; i--) {
      var j = Math.floor(Math.random() * (i + 1));
      var t = list[i]; list[i] = list[j]; list[j] = t;
    }
    return list;
  };
  var storage = {
    get: function (key) {
      try { return JSON.parse(window.localStorage.getItem(key) || "null"); } catch (e) { return null; }
    },
    set: function (key, value) {
      try { window.localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* private mode: no memory */ }
    },
  };

  // The situations of a practice set: each [data-practise-item] with its title, its do and
  // don't items (the verdict label taken off), and its phrases and reasons to show as answers.
  var situations = function (scope) {
    var items = scope.matches("[data-practise-item]") ? [scope] : Array.from(scope.querySelectorAll("[data-practise-item]"));
    return items.map(function (item) {
      var title = item.querySelector("[data-practise-title], h1");
      var statements = Array.from(item.querySelectorAll(".section-behaviour li.verdict-do, .section-behaviour li.verdict-dont")).map(function (li) {
        var copy = li.cloneNode(true);
        copy.querySelectorAll(".verdict, ul, ol").forEach(function (e) { e.remove(); });
        return { text: copy.textContent.trim(), isDo: li.classList.contains("verdict-do"), lang: li.closest("[lang]") ? li.closest("[lang]").getAttribute("lang") : "" };
      }).filter(function (s) { return s.text; });
      var answers = Array.from(item.querySelectorAll(".section-phrases, .section-why"));
      return { title: title ? title.textContent.trim() : "", statements: statements, answers: answers };
    }).filter(function (s) { return s.statements.length; });
  };

  // The self-check's words, in the edition's language: strings.js, loaded before this script,
  // holds them once for every page. Without them (a theme's page that does not load it) the
  // self-check is not offered, and the page's own Do and Don't lists stay as they are.
  var strings = window.touchbookStrings || {};
  var s = strings.practise;
  var verdict = strings.verdict;
  if (!s || !verdict) return;
  var label = { true: verdict.do, false: verdict.dont };

  document.querySelectorAll("[data-practise]").forEach(function (box) {
    var scope = box.closest("[data-practise-scope]");
    var start = box.querySelector("[data-practise-start]");
    var panel = box.querySelector("[data-practise-panel]");
    var lastNote = box.querySelector("[data-practise-last]");
    if (!scope || !start || !panel) return;
    var level = Math.min(Number(box.getAttribute("data-heading-level")) || 3, 5);
    var key = "touchbook-practise:" + window.location.pathname + ":" + box.getAttribute("data-practise");
    var set = situations(scope);
    var total = set.reduce(function (n, x) { return n + x.statements.length; }, 0);
    if (!total) return;
    var showLast = function () {
      var last = storage.get(key);
      lastNote.hidden = !last;
      if (last) lastNote.textContent = fill(s.last, { right: last.right, total: last.total });
    };
    start.hidden = false;
    showLast();

    var run = function () {
      var several = set.length > 1;
      var order = shuffle(set.flatMap(function (x) {
        return x.statements.map(function (st) { return { st: st, from: x.title }; });
      }));
      var answers = [];
      var i = 0;
      panel.hidden = false;
      panel.textContent = "";
      start.hidden = true;
      lastNote.hidden = true;
      panel.appendChild(element("p", "note", s.privacy));
      var progress = element("p", "practise-progress");
      var statement = element("p", "practise-statement");
      statement.tabIndex = -1;
      var from = element("p", "practise-from note");
      var question = element("p", "practise-question", s.question);
      var buttons = element("p", "practise-answers");
      var doButton = element("button", "practise-do", label.true);
      var dontButton = element("button", "practise-dont", label.false);
      [doButton, dontButton].forEach(function (b) { b.type = "button"; buttons.appendChild(b); buttons.appendChild(document.createTextNode(" ")); });
      var feedback = element("p", "practise-feedback");
      feedback.setAttribute("role", "status");
      feedback.setAttribute("aria-live", "polite");
      var next = element("button", "practise-next", s.next);
      next.type = "button";
      next.hidden = true;
      var stop = element("button", "practise-stop", s.close);
      stop.type = "button";
      var controls = element("p", "practise-controls");
      controls.appendChild(next);
      controls.appendChild(document.createTextNode(" "));
      controls.appendChild(stop);
      [progress, statement, from, question, buttons, feedback, controls].forEach(function (e) { panel.appendChild(e); });

      var show = function () {
        var current = order[i];
        progress.textContent = fill(s.progress, { n: i + 1, total: order.length });
        statement.textContent = current.st.text;
        if (current.st.lang) statement.setAttribute("lang", current.st.lang); else statement.removeAttribute("lang");
        from.hidden = !several;
        from.textContent = several ? fill(s.from, { title: current.from }) : "";
        feedback.textContent = "";
        feedback.className = "practise-feedback";
        doButton.disabled = dontButton.disabled = false;
        next.hidden = true;
        statement.focus();
      };
      var answer = function (saidDo) {
        var current = order[i];
        var right = saidDo === current.st.isDo;
        answers.push({ st: current.st, from: current.from, saidDo: saidDo, right: right });
        feedback.textContent = (right ? s.right : s.wrong) + " " + (current.st.isDo ? s["is-do"] : s["is-dont"]);
        feedback.className = "practise-feedback " + (right ? "is-right" : "is-wrong");
        doButton.disabled = dontButton.disabled = true;
        next.textContent = i + 1 < order.length ? s.next : s.finish;
        next.hidden = false;
        next.focus();
      };
      var finish = function () {
        var right = answers.filter(function (a) { return a.right; }).length;
        storage.set(key, { right: right, total: answers.length });
        panel.textContent = "";
        var result = element("p", "practise-result", fill(s.result, { right: right, total: answers.length }));
        result.setAttribute("role", "status");
        result.tabIndex = -1;
        panel.appendChild(result);
        panel.appendChild(element("h" + level, "practise-answers-title", s.answers));
        set.forEach(function (x) {
          var group = element("section", "practise-answer");
          if (several) group.appendChild(element("h" + (level + 1), "", x.title));
          [true, false].forEach(function (isDo) {
            var list = element("ul", "practise-sorted");
            answers.filter(function (a) { return a.from === x.title && a.st.isDo === isDo; }).forEach(function (a) {
              var li = element("li", a.right ? "is-right" : "is-wrong");
              li.appendChild(element("span", "verdict verdict-" + (isDo ? "do" : "dont"), label[isDo]));
              li.appendChild(document.createTextNode(" "));
              var text = element("span", "", a.st.text);
              if (a.st.lang) text.setAttribute("lang", a.st.lang);
              li.appendChild(text);
              li.appendChild(element("span", "practise-said", " (" + s["you-said"] + ": " + label[a.saidDo] + (a.right ? " ✓" : " ✗") + ")"));
              list.appendChild(li);
            });
            if (list.children.length) group.appendChild(list);
          });
          // The phrases and the why, as the page shows them (ids left out: they are the page's).
          x.answers.forEach(function (part) {
            var copy = part.cloneNode(true);
            copy.removeAttribute("id");
            copy.querySelectorAll("[id]").forEach(function (e) { e.removeAttribute("id"); });
            copy.querySelectorAll("button, .print-hint, .note").forEach(function (e) { e.remove(); });
            copy.querySelectorAll("h2, h3, h4, h5").forEach(function (h) {
              var p = element("p", "practise-part-title", h.textContent);
              h.replaceWith(p);
            });
            copy.removeAttribute("aria-labelledby");
            var div = element("div", "practise-part");
            Array.from(copy.childNodes).forEach(function (n) { div.appendChild(n); });
            group.appendChild(div);
          });
          panel.appendChild(group);
        });
        var again = element("button", "practise-again", s.again);
        again.type = "button";
        again.addEventListener("click", run);
        var close = element("button", "practise-stop", s.close);
        close.type = "button";
        close.addEventListener("click", end);
        var p = element("p", "practise-controls");
        p.appendChild(again);
        p.appendChild(document.createTextNode(" "));
        p.appendChild(close);
        panel.appendChild(p);
        result.focus();
      };
      var end = function () {
        panel.hidden = true;
        panel.textContent = "";
        start.hidden = false;
        showLast();
        start.focus();
      };
      doButton.addEventListener("click", function () { answer(true); });
      dontButton.addEventListener("click", function () { answer(false); });
      next.addEventListener("click", function () {
        i += 1;
        if (i < order.length) show(); else finish();
      });
      stop.addEventListener("click", end);
      show();
    };
    start.addEventListener("click", run);
  });
})();
