// touchbook default theme: small enhancements. Every page works without this script.
(function () {
  "use strict";

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
      var cls = button.dataset.print ? "print-only-packs" : "print-only-practice";
      document.body.classList.add(cls);
      window.print();
      document.body.classList.remove(cls);
    });
  });
})();
