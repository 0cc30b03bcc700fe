// touchbook search: a search box on every page over the edition's Pagefind index.
// Results are built with DOM nodes and textContent only, so nothing from the content can run.
(function () {
  "use strict";
  var box = document.getElementById("search");
  if (!box) return;
  var input = document.getElementById("search-input");
  var panel = document.getElementById("search-panel");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var empty = document.getElementById("search-empty");
  var sort = document.getElementById("search-sort");
  var strings = JSON.parse(box.getAttribute("data-strings") || "{}");
  var bundle = box.getAttribute("data-bundle");
  var pagefind = null;
  var active = -1;
  var generation = 0;
  var filters = { stage: [], channel: [], internal: [] };

  function say(key, values) {
    var text = strings[key] || key;
    Object.keys(values || {}).forEach(function (name) { text = text.replace("{" + name + "}", values[name]); });
    return text;
  }

  // Pagefind's script is a module; it loads its index chunks only when someone searches. A large
  // edition's index comes in shards (listed beside the script), merged into one search.
  function load() {
    if (!pagefind) {
      var base = new URL(bundle, document.baseURI).href;
      var shards = fetch(base + "touchbook-shards.json")
        .then(function (response) { return response.ok ? response.json() : { shards: [] }; })
        .catch(function () { return { shards: [] }; });
      pagefind = Promise.all([import(base + "pagefind.js"), shards]).then(function (loaded) {
        var module = loaded[0];
        // Pagefind searches in a web worker by default, and then copies every result to the
        // page and later sends each one back to be released: with a word on thousands of
        // pages that costs more than the search and stalls for seconds. On the page itself a
        // search takes a few milliseconds (tens at 10,000 pages), after a pause in typing.
        return module.options({ excerptLength: 24, noWorker: true }).then(function () {
          module.init();
          return Promise.all((loaded[1].shards || []).map(function (dir) { return module.mergeIndex(base + dir, { noWorker: true }); }));
        }).then(function () { return module; });
      });
    }
    return pagefind;
  }

  // Results for a query, best first: by relevance, or by frequency or difficulty (5 to 1, and by
  // relevance within each). Pagefind merges shards by relevance only, so a sorted search asks
  // for each value in turn, through the hidden filters the touch point pages carry.
  function find(module, query, options, key) {
    if (!key) return module.search(query, options).then(function (found) { return found.results; });
    var levels = ["5", "4", "3", "2", "1"];
    return Promise.all(levels.map(function (level) {
      var filters = Object.assign({}, options.filters);
      filters[key] = level;
      return module.search(query, { filters: filters });
    })).then(function (found) {
      return found.reduce(function (all, one) { return all.concat(one.results); }, []);
    });
  }

  window.touchbookSearch = { load: load, find: find };

  function open(show) {
    panel.hidden = !show;
    input.setAttribute("aria-expanded", show ? "true" : "false");
  }

  function choose(index) {
    var items = list.querySelectorAll("[role=option]");
    if (!items.length) { active = -1; input.removeAttribute("aria-activedescendant"); return; }
    active = (index + items.length) % items.length;
    items.forEach(function (item, i) { item.setAttribute("aria-selected", i === active ? "true" : "false"); });
    input.setAttribute("aria-activedescendant", items[active].id);
    items[active].scrollIntoView({ block: "nearest" });
  }

  // Pagefind's excerpt marks the matched words with <mark>. Parse it inertly and copy text and
  // marks only: whatever else it holds becomes plain text.
  function excerpt(html) {
    var out = document.createElement("p");
    out.className = "search-excerpt";
    var doc = new DOMParser().parseFromString("<body>" + html + "</body>", "text/html");
    doc.body.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        out.appendChild(mark);
      } else {
        out.appendChild(document.createTextNode(node.textContent));
      }
    });
    return out;
  }

  function render(results, query) {
    list.textContent = "";
    active = -1;
    input.removeAttribute("aria-activedescendant");
    results.forEach(function (result, i) {
      var item = document.createElement("li");
      item.id = "search-result-" + i;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      var link = document.createElement("a");
      link.href = result.url;
      link.className = "search-title";
      link.textContent = (result.meta && result.meta.title) || result.url;
      link.tabIndex = -1;
      var meta = document.createElement("span");
      meta.className = "search-meta";
      meta.textContent = [result.meta && result.meta.kind, result.meta && result.meta.stage].filter(Boolean).join(" · ");
      item.appendChild(link);
      item.appendChild(meta);
      item.appendChild(excerpt(result.excerpt || ""));
      item.addEventListener("mousedown", function (event) { event.preventDefault(); window.location.href = result.url; });
      list.appendChild(item);
    });
    empty.hidden = results.length !== 0;
    status.textContent = results.length === 0 ? say("no-results", { query: query })
      : results.length === 1 ? say("results-one") : say("results-many", { count: results.length });
  }

  var timer = null;

  function search() {
    var query = input.value.trim();
    var mine = ++generation;
    clearTimeout(timer);
    if (!query) { open(false); list.textContent = ""; status.textContent = ""; return; }
    open(true);
    status.textContent = say("loading");
    var options = { filters: {} };
    Object.keys(filters).forEach(function (name) { if (filters[name].length) options.filters[name] = { any: filters[name] }; });
    load().catch(function () {});
    // Wait for a pause in typing, so that each keystroke does not start a search of its own.
    timer = setTimeout(function () {
      load().then(function (module) {
        return mine === generation ? find(module, query, options, sort.value) : null;
      }).then(function (found) {
        if (!found || mine !== generation) return null;
        return Promise.all(found.slice(0, 10).map(function (r) { return r.data(); }));
      }).then(function (results) {
        if (results && mine === generation) render(results, query);
      }).catch(function () {
        status.textContent = say("unavailable");
      });
    }, 120);
  }

  input.disabled = false;
  input.addEventListener("input", search);
  input.addEventListener("focus", function () { if (input.value.trim()) open(true); });
  sort.addEventListener("change", search);
  box.querySelectorAll(".chip-toggle").forEach(function (chip) {
    chip.addEventListener("click", function () {
      var name = chip.getAttribute("data-filter");
      var value = chip.getAttribute("data-value");
      var on = chip.getAttribute("aria-pressed") !== "true";
      chip.setAttribute("aria-pressed", on ? "true" : "false");
      filters[name] = filters[name].filter(function (v) { return v !== value; });
      if (on) filters[name].push(value);
      search();
    });
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") { event.preventDefault(); open(true); choose(active + 1); }
    else if (event.key === "ArrowUp") { event.preventDefault(); choose(active - 1); }
    else if (event.key === "Enter") {
      var items = list.querySelectorAll("[role=option] a");
      var target = items[active >= 0 ? active : 0];
      if (target) { event.preventDefault(); window.location.href = target.href; }
    } else if (event.key === "Escape") {
      if (input.value) { input.value = ""; search(); } else { input.blur(); }
      open(false);
    }
  });
  document.addEventListener("keydown", function (event) {
    var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName) || document.activeElement.isContentEditable;
    if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      input.focus();
    }
  });
  document.addEventListener("click", function (event) { if (!box.contains(event.target)) open(false); });
})();
