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
  var correctedLine = document.getElementById("search-corrected");
  var suggest = document.getElementById("search-suggest");
  var jump = document.getElementById("search-jump");
  var strings = JSON.parse(box.getAttribute("data-strings") || "{}");
  var synonyms = JSON.parse(box.getAttribute("data-synonyms") || "{}");
  var bundle = box.getAttribute("data-bundle");
  var wordsAddress = box.getAttribute("data-words");
  var pagefind = null;
  var vocabulary = null;
  // A query the reader chose to see as typed ("Search for … instead"): not corrected again.
  var asTyped = null;
  var active = -1;
  var generation = 0;
  var filters = { stage: [], channel: [], internal: [] };

  function say(key, values) {
    var text = strings[key] || key;
    // split/join, not replace: a query holding `$&` or `$'` is shown as typed.
    Object.keys(values || {}).forEach(function (name) { text = text.split("{" + name + "}").join(values[name]); });
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

  // Words as Pagefind compares them: lowercased, without accents or punctuation.
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLocaleLowerCase();
  }

  // The words of a query as Pagefind reads them: lowercased, without punctuation.
  function wordsOf(query) {
    return query.toLocaleLowerCase().split(/\s+/).map(function (t) { return t.replace(/[^\p{L}\p{N}\p{M}]/gu, ""); }).filter(Boolean);
  }

  function termsOf(query) {
    return wordsOf(query).map(fold);
  }

  // The query and the queries the playbook's synonyms make of it ("boss" also searches for
  // "manager" and "supervisor"). Pagefind finds pages with every word of a query, so each
  // synonym is a query of its own.
  function expand(query) {
    var words = wordsOf(query);
    var text = " " + words.join(" ") + " ";
    var queries = [words.join(" ")];
    Object.keys(synonyms).forEach(function (key) {
      var phrase = " " + wordsOf(key).join(" ") + " ";
      if (phrase.trim() && text.indexOf(phrase) !== -1) {
        synonyms[key].forEach(function (other) {
          var variant = text.replace(phrase, function () { return " " + wordsOf(other).join(" ") + " "; }).trim();
          if (queries.indexOf(variant) === -1) queries.push(variant);
        });
      }
    });
    return queries.slice(0, 8);
  }

  // One search per query of `expand`, merged: a page found several ways keeps its best score
  // (a synonym's a little less than the words typed) and the words it was found by.
  function searchAll(module, queries, options) {
    return Promise.all(queries.map(function (query) { return module.search(query, options); })).then(function (found) {
      var best = {};
      var order = [];
      found.forEach(function (one, i) {
        one.results.forEach(function (result) {
          var score = result.score * (i === 0 ? 1 : 0.9);
          var known = best[result.id];
          if (!known) order.push(result.id);
          if (!known || score > known.rank) {
            result.rank = score;
            result.terms = termsOf(queries[i]);
            best[result.id] = result;
          }
        });
      });
      return order.map(function (id) { return best[id]; }).sort(function (a, b) { return b.rank - a.rank; });
    });
  }

  // Results for a query (or the queries `expand` made of it), best first: by relevance, or by
  // frequency or difficulty (5 to 1, and by relevance within each). Pagefind merges shards by
  // relevance only, so a sorted search asks for each value in turn, through the hidden filters
  // the touch point pages carry.
  function find(module, query, options, key) {
    var queries = Array.isArray(query) ? query : [query];
    if (!key) return searchAll(module, queries, options);
    var levels = ["5", "4", "3", "2", "1"];
    return Promise.all(levels.map(function (level) {
      var filters = Object.assign({}, options.filters);
      filters[key] = level;
      return searchAll(module, queries, { filters: filters });
    })).then(function (found) {
      return found.reduce(function (all, one) { return all.concat(one); }, []);
    });
  }

  // A word Pagefind does not know is matched to the longest indexed word it begins with
  // ("boss" to "b", "forsinket" to "for", "passwrod" to "pass"). Such a match is not shown:
  // every word of the query must be found as itself, a longer word ("pass" → "password") or a
  // form sharing at least three fifths of it ("deliveries" → "delivery", "leveransen" →
  // "leveranse"). `data.locations` are the matched words of the page.
  function shared(a, b) {
    var n = 0;
    while (n < a.length && n < b.length && a[n] === b[n]) n++;
    return n;
  }

  function forms(word) {
    var parts = word.split(/(?<=\p{Ll})(?=\p{Lu})/u).join(" ");
    parts = fold(parts).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    return parts.concat([parts.join("")]);
  }

  function matches(word, term) {
    var needed = term.length <= 3 ? term.length : Math.max(3, Math.ceil(term.length * 0.6));
    return forms(word).some(function (form) { return shared(form, term) >= needed; });
  }

  function genuine(data, terms) {
    var locations = data.locations || [];
    if (!locations.length || !terms) return true;
    var words = (data.raw_content || data.content || "").split(/[^\S\uFEFF]+/g);
    var matched = locations.map(function (at) { return words[at] || ""; });
    return terms.every(function (term) { return matched.some(function (word) { return matches(word, term); }); });
  }

  // The first `count` genuine results with their data, looking at most three times as far.
  function firstGenuine(found, count) {
    var kept = [];
    function from(start) {
      var batch = found.slice(start, start + count);
      if (!batch.length || kept.length >= count || start >= count * 3) return Promise.resolve(kept.slice(0, count));
      return Promise.all(batch.map(function (r) { return r.data(); })).then(function (data) {
        data.forEach(function (d, i) { if (genuine(d, batch[i].terms)) kept.push(d); });
        return from(start + count);
      });
    }
    return from(0);
  }

  // The edition's vocabulary (search-words.bin, gzipped lines of words by weight), fetched the
  // first time a query finds nothing.
  function loadWords() {
    if (!vocabulary) {
      vocabulary = fetch(wordsAddress).then(function (response) {
        if (!response.ok) throw new Error("no vocabulary");
        return response.arrayBuffer();
      }).then(function (buffer) {
        var bytes = new Uint8Array(buffer);
        // A server may have unpacked it already (Content-Encoding: gzip).
        if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return new TextDecoder().decode(bytes);
        return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"))).text();
      }).then(function (text) {
        var words = [];
        text.split("\n").slice(1).forEach(function (line) {
          var parts = line.split(" ");
          var weight = +parts[0];
          parts.slice(1).forEach(function (word) { if (word) words.push({ word: word, folded: fold(word), weight: weight }); });
        });
        var sorted = words.map(function (w) { return w.folded; }).sort();
        return { words: words, sorted: sorted, set: new Set(sorted) };
      }).catch(function () { return { words: [], sorted: [], set: new Set() }; });
    }
    return vocabulary;
  }

  // Optimal string alignment distance (Damerau-Levenshtein with adjacent transpositions, the
  // typing mistakes people make), or `limit + 1` as soon as it must exceed `limit`.
  function distance(a, b, limit) {
    if (Math.abs(a.length - b.length) > limit) return limit + 1;
    var before = null, previous = [], current = [];
    for (var j = 0; j <= b.length; j++) previous[j] = j;
    for (var i = 1; i <= a.length; i++) {
      current = [i];
      var lowest = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var d = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
        if (before && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2] + 1);
        current[j] = d;
        if (d < lowest) lowest = d;
      }
      if (lowest > limit) return limit + 1;
      before = previous;
      previous = current;
    }
    return previous[b.length];
  }

  // Whether the vocabulary knows a word: as itself, as the start of a longer word, or as a
  // longer form of a word it has ("leveransen" of "leveranse").
  function known(words, term) {
    var low = 0, high = words.sorted.length;
    while (low < high) {
      var mid = (low + high) >> 1;
      if (words.sorted[mid] < term) low = mid + 1; else high = mid;
    }
    if (low < words.sorted.length && words.sorted[low].indexOf(term) === 0) return true;
    for (var end = term.length - 1; end >= Math.max(4, term.length - 3); end--) {
      if (words.set.has(term.slice(0, end))) return true;
    }
    return false;
  }

  // The query with each word the vocabulary does not know replaced by its nearest word (one
  // edit for words of up to seven letters, two for longer ones, since most typos are one edit
  // and the further a word may be changed the likelier it becomes another word; on a tie the
  // weightier word: a title's before a tag's, a tag's before the text's), or null when nothing
  // is corrected. People seldom mistype the first letter, and allowing it turns words the
  // edition lacks into unrelated ones ("boss" into "loss"), so the first letter must match.
  function correct(words, query) {
    var changed = false;
    var terms = wordsOf(query).map(function (typed) {
      var term = fold(typed);
      if (term.length < 4 || known(words, term)) return typed;
      var limit = term.length <= 7 ? 1 : 2;
      var best = null;
      words.words.forEach(function (w) {
        if (w.folded[0] !== term[0]) return;
        var d = distance(term, w.folded, limit);
        if (d > limit) return;
        if (!best || d < best.d || (d === best.d && w.weight > best.weight)) best = { d: d, weight: w.weight, word: w.word };
      });
      if (!best) return typed;
      changed = true;
      return best.word;
    });
    return changed ? terms.join(" ") : null;
  }

  window.touchbookSearch = { load: load, find: find, expand: expand, words: loadWords, correct: correct };

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

  // A string with `{query}` in it, the query emphasised.
  function withQuery(key, query, into) {
    var parts = say(key).split("{query}");
    into.appendChild(document.createTextNode(parts[0]));
    var word = document.createElement("em");
    word.textContent = query;
    into.appendChild(word);
    into.appendChild(document.createTextNode(parts.slice(1).join("")));
    return into;
  }

  // "Showing results for password." and a link back to the query as typed.
  function showCorrection(query, corrected) {
    correctedLine.textContent = "";
    correctedLine.hidden = !corrected;
    if (!corrected) return;
    withQuery("corrected", corrected, correctedLine);
    correctedLine.appendChild(document.createTextNode(" "));
    var back = withQuery("original", query, document.createElement("a"));
    back.href = "#";
    back.id = "search-original";
    back.addEventListener("click", function (event) {
      event.preventDefault();
      asTyped = query;
      input.focus();
      search();
    });
    correctedLine.appendChild(back);
  }

  // The contribution link names the situation after the query (as a file name and a title).
  function suggestFor(query) {
    if (!suggest) return;
    // What a TOML string may not hold (quotes, backslashes, control characters, DEL), and lone
    // surrogates, which encodeURIComponent refuses.
    var title = query.replace(/["\\\u0000-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "").trim();
    var slug = fold(title).replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60) || "new-situation";
    suggest.href = suggest.getAttribute("data-template").replace(/%7Bquery%7D/g, encodeURIComponent(title)).replace(/%7Bslug%7D/g, slug);
  }

  function render(results, query, corrected) {
    showCorrection(query, corrected);
    if (!results.length) suggestFor(query);
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
      var module = null;
      var current = function () { return mine === generation; };
      load().then(function (loaded) {
        module = loaded;
        return current() ? find(module, expand(query), options, sort.value) : null;
      }).then(function (found) {
        return found && current() ? firstGenuine(found, 10) : null;
      }).then(function (results) {
        if (!results || !current()) return null;
        if (results.length || asTyped === query) return render(results, query, null);
        // Nothing found: try the query corrected against the edition's own words.
        return loadWords().then(function (words) {
          var corrected = current() ? correct(words, query) : null;
          if (!corrected) return render(results, query, null);
          return find(module, expand(corrected), options, sort.value).then(function (found) {
            return current() ? firstGenuine(found, 10) : null;
          }).then(function (fixed) {
            if (fixed && current()) render(fixed, query, fixed.length ? corrected : null);
          });
        });
      }).catch(function () {
        status.textContent = say("unavailable");
      });
    }, 120);
  }

  input.disabled = false;
  input.addEventListener("input", function () { asTyped = null; search(); });
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

  // On a phone the search box scrolls away with the header; while it is out of sight a button
  // brings it back and puts the cursor in it.
  if (jump && "IntersectionObserver" in window) {
    new IntersectionObserver(function (entries) {
      jump.hidden = entries[entries.length - 1].isIntersecting;
    }).observe(input);
    jump.addEventListener("click", function () {
      box.scrollIntoView({ block: "start" });
      input.focus();
      if (input.value.trim()) open(true);
    });
  }
})();
