// touchbook default theme: small enhancements. Every page works without this script.
(function () {
  "use strict";

  // Rollout follow-up: the build worked out each week's state against its own date; the reader's
  // today may be later, so weeks not held are counted again (overdue once their last day has
  // passed), the totals follow, and the divisions most behind move to the top.
  var pad = function (n) { return (n < 10 ? "0" : "") + n; };
  var now = new Date();
  var today = now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  document.querySelectorAll("table[data-followup]").forEach(function (table) {
    var body = table.tBodies[0];
    if (!body) return;
    var rows = Array.prototype.slice.call(body.querySelectorAll("tr[data-followup-row]"));
    var totals = {};
    rows.forEach(function (row) {
      var counts = { "on-time": 0, "late": 0, "overdue": 0, "not-yet-due": 0 };
      row.querySelectorAll("td[data-week-end]").forEach(function (cell) {
        var end = cell.dataset.weekEnd;
        var held = cell.dataset.held;
        var state = held ? (held <= end ? "on-time" : "late") : (today > end ? "overdue" : "not-yet-due");
        if (state !== cell.dataset.state) {
          cell.classList.remove("week-" + cell.dataset.state);
          cell.classList.add("week-" + state);
          cell.dataset.state = state;
          var label = table.getAttribute("data-label-" + state);
          var text = cell.querySelector(".state-label");
          if (label && text) text.textContent = label;
          if (label) cell.title = cell.title.replace(/:.*$/, ": " + label);
        }
        counts[state]++;
      });
      row.dataset.overdue = String(counts.overdue);
      Object.keys(counts).forEach(function (state) {
        var cell = row.querySelector('td[data-count="' + state + '"]');
        if (cell) cell.textContent = String(counts[state]);
        totals[state] = (totals[state] || 0) + counts[state];
      });
    });
    Object.keys(totals).forEach(function (state) {
      var cell = table.querySelector('td[data-total="' + state + '"]');
      if (cell) cell.textContent = String(totals[state]);
    });
    rows.slice().sort(function (a, b) {
      return (Number(b.dataset.overdue) - Number(a.dataset.overdue)) || (rows.indexOf(a) - rows.indexOf(b));
    }).forEach(function (row) { body.appendChild(row); });
  });

  // Touch point list: filter by stage and channel, sort by journey, frequency or difficulty.
  // The choice lives in the address (?stage=…&channel=…&sort=…) so it survives reloads and links.
  var form = document.getElementById("filters");
  var list = document.getElementById("touchpoint-list");
  if (form && list) {
    // Without this script the whole list shows in journey order; with it, it can be filtered.
    form.hidden = false;
    var cards = Array.prototype.slice.call(list.children);
    var count = document.querySelector("#filter-count span");
    var empty = document.getElementById("filter-empty");
    var params = new URLSearchParams(window.location.search);
    ["stage", "channel", "sort"].forEach(function (name) {
      var value = params.get(name);
      if (value !== null && form.elements[name]) form.elements[name].value = value;
    });
    var apply = function () {
      var stage = form.elements.stage.value;
      var channel = form.elements.channel.value;
      var sort = form.elements.sort.value || "journey";
      var key = function (card) {
        var order = Number(card.dataset.order);
        if (sort === "frequency") return [-Number(card.dataset.frequency), -Number(card.dataset.difficulty), order];
        if (sort === "difficulty") return [-Number(card.dataset.difficulty), -Number(card.dataset.frequency), order];
        return [order, 0, 0];
      };
      var sorted = cards.slice().sort(function (a, b) {
        var ka = key(a), kb = key(b);
        for (var i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] - kb[i];
        return cards.indexOf(a) - cards.indexOf(b);
      });
      var shown = 0;
      sorted.forEach(function (card) {
        var visible = (!stage || card.dataset.stage === stage) &&
          (!channel || (" " + card.dataset.channels + " ").indexOf(" " + channel + " ") !== -1);
        card.hidden = !visible;
        if (visible) shown++;
        list.appendChild(card);
      });
      if (count) count.textContent = String(shown);
      if (empty) empty.hidden = shown !== 0;
      var query = new URLSearchParams();
      if (stage) query.set("stage", stage);
      if (channel) query.set("channel", channel);
      if (sort !== "journey") query.set("sort", sort);
      var search = query.toString();
      window.history.replaceState(null, "", search ? "?" + search : window.location.pathname);
    };
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
    apply();
  }

  // Journey map: colour the situations by frequency and difficulty, or by satisfaction.
  var map = document.getElementById("journey-map");
  var colourBy = document.querySelector(".colour-by");
  if (map && colourBy) {
    colourBy.hidden = false;
    var buttons = colourBy.querySelectorAll("button[data-colour]");
    var legends = { frequency: document.querySelector(".legend-frequency"), satisfaction: document.querySelector(".legend-satisfaction") };
    buttons.forEach(function (button) {
      button.addEventListener("click", function () {
        var colour = button.dataset.colour;
        map.dataset.colour = colour;
        buttons.forEach(function (b) { b.setAttribute("aria-pressed", String(b === button)); });
        Object.keys(legends).forEach(function (key) { if (legends[key]) legends[key].hidden = key !== colour; });
      });
    });
  }

  // Print buttons: print only the role play of a touch point, or only a rollout's meeting packs.
  document.querySelectorAll("[data-print], [data-print-section]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var cls = button.dataset.print ? "print-only-packs" : "print-only-roleplay";
      document.body.classList.add(cls);
      window.print();
      document.body.classList.remove(cls);
    });
  });
  // Review states: pages say where each review stood on the day the site was built; bring
  // that up to the reader's today, so a site nobody rebuilt still shows what is due.
  var pad = function (n) { return (n < 10 ? "0" : "") + n; };
  var isoDay = function (d) { return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()); };
  var now = new Date();
  var today = isoDay(now);
  var setStatus = function (element, status) {
    ["never", "due", "soon", "ok"].forEach(function (s) { element.classList.remove("status-" + s); });
    element.classList.add("status-" + status);
  };
  document.querySelectorAll(".review-state[data-review-due]").forEach(function (state) {
    var due = state.getAttribute("data-review-due") < today;
    state.querySelectorAll("[data-review-overdue]").forEach(function (note) { note.hidden = !due; });
    if (due) setStatus(state, "due");
  });

  // The review page: every item is in its owner's table; the lists of what is due now and
  // soon are made again from those rows, in the order of their due dates.
  var board = document.getElementById("review-board");
  if (board) {
    var soon = isoDay(new Date(now.getFullYear(), now.getMonth(), now.getDate() + Number(board.dataset.soonDays)));
    var statusOf = function (due) {
      if (!due) return "never";
      if (due < today) return "due";
      return due <= soon ? "soon" : "ok";
    };
    var label = function (status) { return board.getAttribute("data-label-" + status) || status; };
    var lists = { due: [], soon: [] };
    board.querySelectorAll('tbody[data-review-list="owner"] tr[data-review-row]').forEach(function (row) {
      var status = statusOf(row.getAttribute("data-review-due"));
      setStatus(row, status);
      row.setAttribute("data-status", status);
      row.querySelector("[data-review-status]").textContent = label(status);
      var list = status === "never" || status === "due" ? lists.due : status === "soon" ? lists.soon : null;
      if (list && !list.some(function (r) { return r.dataset.order === row.dataset.order; })) list.push(row);
    });
    Object.keys(lists).forEach(function (name) {
      var rows = lists[name].sort(function (a, b) { return Number(a.dataset.order) - Number(b.dataset.order); });
      var body = board.querySelector('tbody[data-review-list="' + name + '"]');
      while (body.firstChild) body.removeChild(body.firstChild);
      rows.forEach(function (row) { body.appendChild(row.cloneNode(true)); });
      board.querySelector('[data-review-count="' + name + '"]').textContent = String(rows.length);
      body.closest(".table-scroll").hidden = rows.length === 0;
      board.querySelector('[data-review-empty="' + name + '"]').hidden = rows.length !== 0;
    });
    var asOf = document.querySelector("[data-review-today]");
    if (asOf && asOf.getAttribute("datetime") !== today) {
      asOf.setAttribute("datetime", today);
      asOf.textContent = now.toLocaleDateString(document.documentElement.lang, { day: "numeric", month: "long", year: "numeric" });
    }
  }
})();
