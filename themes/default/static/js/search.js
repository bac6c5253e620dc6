/* guidebook: search in the reader's browser, with the site's own index and engine.
 *
 * The engine (WebAssembly) and the entry file of the page's language's index are loaded
 * on first use; then each query fetches only the pages of the index it reads (the engine
 * names them), once. Files are fetched as bytes over HTTP, or, in a site built with
 * --offline and opened from a shared drive (file://), loaded as classic scripts that
 * carry them in base64. Results
 * are shown with DOM text nodes, never by building HTML from strings.
 *
 * The search box follows the ARIA combobox pattern: arrow keys move through the results,
 * Enter opens one (or the full results page), Escape closes the list. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var root = script.getAttribute("data-root") || "";
  var lang = script.getAttribute("data-lang") || "en";
  var offline = script.hasAttribute("data-offline");
  var strings = {};
  try { strings = JSON.parse(script.getAttribute("data-strings") || "{}"); } catch (e) { strings = {}; }
  var engine = null;

  /* Plural rules of the page's language (CLDR, built into the browser), as the build
   * applies them: `Intl.PluralRules` of the locale the build names. */
  var plurals = null;
  try { plurals = new Intl.PluralRules(strings.locale || lang); } catch (e) { plurals = null; }

  /** The string `key` with `{name}` filled from `values`. A string with plural forms
   *  (`{ one: "...", other: "..." }`) gives the form for `values.count`. */
  function text(key, values) {
    var s = strings[key] || key;
    if (typeof s === "object") {
      var count = values && typeof values.count === "number" ? values.count : null;
      var category = count !== null && plurals ? plurals.select(count) : "other";
      s = s[category] || s.other || key;
    }
    Object.keys(values || {}).forEach(function (k) { s = s.split("{" + k + "}").join(String(values[k])); });
    return s;
  }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = src;
      s.onload = resolve;
      s.onerror = function () { reject(new Error(src)); };
      document.head.appendChild(s);
    });
  }

  function fromBase64(data) {
    var binary = atob(data);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  }

  /** The engine and the indexes are written gzip-compressed, whatever the web server does:
   *  the browser's own decompressor unpacks them (no fetch, so this works from file:// too). */
  function gunzip(bytes) {
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).arrayBuffer().then(function (buffer) { return new Uint8Array(buffer); });
  }

  function bytesOf(path, key) {
    if (offline) {
      return loadScript(root + path.replace(/\.bin$/, ".js")).then(function () {
        var data = window.guidebookSearch[key];
        delete window.guidebookSearch[key];
        return gunzip(fromBase64(data));
      });
    }
    /* The entry file names the folder of this build's pages, so it is asked for again
     * (a cheap check when unchanged); pages are then safe to take from the cache. */
    var init = path.slice(-10) === "/index.bin" ? { cache: "no-cache" } : {};
    return fetch(root + path, init).then(function (response) {
      if (!response.ok) throw new Error(path + ": " + response.status);
      return response.arrayBuffer();
    }).then(function (buffer) { return gunzip(new Uint8Array(buffer)); });
  }

  function copyIn(exports, bytes) {
    var ptr = exports.gb_alloc(bytes.length);
    new Uint8Array(exports.memory.buffer, ptr, bytes.length).set(bytes);
    return ptr;
  }

  /** Most rounds of page fetching a query may take. Most take three (term dictionary
   *  blocks, posting lists, the results' text); a word with a typo takes one more per run
   *  of dictionary blocks its neighbours fall in. Every round adds pages, so a query ends
   *  anyway: this only bounds a damaged index. */
  var MAX_ROUNDS = 64;

  /** Loads the engine and this language's entry file, once. The index's other pages are
   *  fetched as queries need them, and kept for later queries. */
  function load() {
    if (engine) return engine;
    window.guidebookSearch = window.guidebookSearch || {};
    engine = Promise.all([bytesOf("search/engine.bin", "engine"), bytesOf("search/" + lang + "/index.bin", "index_" + lang)])
      .then(function (parts) {
        return WebAssembly.instantiate(parts[0], {}).then(function (result) {
          var ex = result.instance.exports;
          var ptr = copyIn(ex, parts[1]);
          var handle = ex.gb_open(ptr, parts[1].length);
          ex.gb_free(ptr, parts[1].length);
          if (!handle) throw new Error("index");
          var pending = {};
          var added = {};

          function ask(request) {
            var input = new TextEncoder().encode(JSON.stringify(request));
            var inPtr = copyIn(ex, input);
            var lenPtr = ex.gb_alloc(4);
            var outPtr = ex.gb_search(handle, inPtr, input.length, lenPtr);
            var outLen = new DataView(ex.memory.buffer).getUint32(lenPtr, true);
            var json = new TextDecoder().decode(new Uint8Array(ex.memory.buffer, outPtr, outLen).slice());
            ex.gb_free(outPtr, outLen);
            ex.gb_free(inPtr, input.length);
            ex.gb_free(lenPtr, 4);
            return JSON.parse(json);
          }

          /** Page `n` of the index, fetched once (however many queries wait for it). */
          function page(folder, n) {
            var key = folder + "/" + n;
            if (!pending[key]) {
              pending[key] = bytesOf("search/" + lang + "/" + key + ".bin", "page_" + lang + "_" + n).then(function (bytes) {
                var at = copyIn(ex, bytes);
                ex.gb_add_page(handle, n, at, bytes.length);
                ex.gb_free(at, bytes.length);
                added[key] = true;
              });
              pending[key].catch(function () { delete pending[key]; });
            }
            return pending[key];
          }

          return function search(request) {
            function attempt(round) {
              var answer = ask(request);
              if (!answer.need) return Promise.resolve(answer);
              var progress = answer.need.some(function (n) { return !added[answer.folder + "/" + n]; });
              if (round >= MAX_ROUNDS || !progress) return Promise.reject(new Error("index pages"));
              return Promise.all(answer.need.map(function (n) { return page(answer.folder, n); }))
                .then(function () { return attempt(round + 1); });
            }
            return attempt(0);
          };
        });
      });
    engine.catch(function () { engine = null; });
    return engine;
  }

  /** Answers `request`. When a page of the index cannot be had, the site was probably
   *  rebuilt since this page loaded (its entry names another folder of pages): the
   *  engine is loaded again, with the new entry, and the query asked once more. */
  function find(request, again) {
    return load().then(function (search) { return search(request); }).catch(function (error) {
      if (again) throw error;
      engine = null;
      return find(request, true);
    });
  }

  /** The address of a result, from this page. */
  function hitUrl(hit) {
    var url = root + lang + "/" + hit.url;
    if (offline) url += "index.html";
    if (hit.heading) url += "#" + encodeURIComponent(hit.heading.anchor);
    return url;
  }

  /** The snippet as text nodes, its matches in <mark>. */
  function snippetNode(snippet) {
    var p = document.createElement("span");
    p.className = "snippet";
    var at = 0;
    (snippet.highlights || []).forEach(function (range) {
      p.appendChild(document.createTextNode(snippet.text.slice(at, range[0])));
      var mark = document.createElement("mark");
      mark.textContent = snippet.text.slice(range[0], range[1]);
      p.appendChild(mark);
      at = range[1];
    });
    p.appendChild(document.createTextNode(snippet.text.slice(at)));
    return p;
  }

  function hitNode(hit, tag) {
    var item = document.createElement(tag);
    var link = document.createElement("a");
    link.href = hitUrl(hit);
    var title = document.createElement("span");
    title.className = "title";
    title.textContent = hit.title;
    if (hit.lang !== lang) title.lang = hit.lang;
    var kind = document.createElement("span");
    kind.className = "kind";
    kind.textContent = hit.kind;
    link.appendChild(title);
    link.appendChild(document.createTextNode(" "));
    link.appendChild(kind);
    item.appendChild(link);
    if (hit.snippet && hit.snippet.text) {
      var snippet = snippetNode(hit.snippet);
      if (hit.lang !== lang) snippet.lang = hit.lang;
      item.appendChild(snippet);
    }
    return item;
  }

  /* The search box of every page. */
  function combobox(form) {
    var input = form.querySelector("input[role=combobox]");
    var list = form.querySelector("[role=listbox]");
    var status = form.querySelector("[role=status]");
    var active = -1;
    var timer = null;
    var asked = 0;

    function options() { return Array.prototype.slice.call(list.querySelectorAll("[role=option]")); }

    function setActive(i) {
      var all = options();
      all.forEach(function (o, j) { o.setAttribute("aria-selected", j === i ? "true" : "false"); });
      active = i;
      if (i >= 0 && all[i]) {
        input.setAttribute("aria-activedescendant", all[i].id);
        all[i].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      setActive(-1);
    }

    function show(response, query) {
      list.textContent = "";
      response.hits.forEach(function (hit, i) {
        var option = hitNode(hit, "li");
        option.setAttribute("role", "option");
        option.id = list.id + "-" + i;
        option.setAttribute("aria-selected", "false");
        option.addEventListener("mousedown", function (e) { e.preventDefault(); });
        list.appendChild(option);
      });
      var open = response.hits.length > 0;
      list.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      setActive(-1);
      status.textContent = response.total ? text("results", { count: response.total }) : text("no_results", { query: query });
    }

    function run() {
      var query = input.value;
      var ticket = ++asked;
      if (!query.trim()) {
        close();
        status.textContent = "";
        return;
      }
      find({ q: query, limit: 8 }).then(function (response) {
        if (ticket !== asked) return;
        show(response, query.trim());
      }, function () {
        if (ticket !== asked) return;
        close();
        status.textContent = text("unavailable");
      });
    }

    input.addEventListener("focus", function () { load(); });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(run, 80);
    });
    input.addEventListener("keydown", function (e) {
      var all = options();
      if (e.key === "ArrowDown" && all.length) {
        e.preventDefault();
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        setActive((active + 1) % all.length);
      } else if (e.key === "ArrowUp" && all.length) {
        e.preventDefault();
        setActive(active <= 0 ? all.length - 1 : active - 1);
      } else if (e.key === "Enter" && active >= 0 && all[active]) {
        e.preventDefault();
        window.location.href = all[active].querySelector("a").href;
      } else if (e.key === "Escape") {
        // A query still waiting (typed, or being answered) must not open the list again.
        clearTimeout(timer);
        asked++;
        if (!list.hidden) {
          e.preventDefault();
          close();
        } else {
          input.value = "";
        }
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  /* The full results page, /<lang>/search/?q=... */
  function resultsPage(page) {
    var form = page.querySelector("form");
    var input = form.querySelector("input[name=q]");
    var list = page.querySelector(".search-results");
    var facetsBox = page.querySelector(".search-facets");
    var status = page.querySelector("[role=status]");
    var filters = [];
    var asked = 0;
    /* Results are shown ten at a time: each shown result's text is fetched for its
     * snippet, so more are fetched only when the reader asks for them. */
    var STEP = 10;
    var shown = STEP;
    var more = document.createElement("button");
    more.type = "button";
    more.className = "search-more";
    more.textContent = text("more");
    more.hidden = true;
    /* The button follows the results in their column (the filters may be longer). */
    var column = document.createElement("div");
    column.className = "search-main";
    list.parentNode.insertBefore(column, list);
    column.appendChild(list);
    column.appendChild(more);
    more.addEventListener("click", function () {
      shown += STEP;
      run(true);
    });

    function render(response, query, keepFocus) {
      var before = list.children.length;
      list.textContent = "";
      response.hits.forEach(function (hit) { list.appendChild(hitNode(hit, "li")); });
      more.hidden = response.hits.length >= response.total;
      /* After "More results", focus moves to the first new result, not back to the top. */
      if (keepFocus && list.children[before]) {
        var link = list.children[before].querySelector("a");
        if (link) link.focus();
      }
      /* The live region says what is shown, so that "More results" is heard: "Showing
       * 20 of 90 results", then "90 results" once all are there. */
      var shownCount = response.hits.length;
      status.textContent = !response.total
        ? text("no_results", { query: query })
        : shownCount < response.total
          ? text("showing", { shown: shownCount, count: response.total })
          : text("results", { count: response.total });
      /* The filters are drawn again: the one the reader just toggled keeps the focus. */
      var active = document.activeElement;
      var focusKey = active && facetsBox.contains(active) && active.dataset ? active.dataset.filter : null;
      var focusBox = null;
      facetsBox.textContent = "";
      response.facets.forEach(function (facet) {
        var group = document.createElement("fieldset");
        var legend = document.createElement("legend");
        legend.textContent = facet.label || text("kind");
        group.appendChild(legend);
        facet.values.forEach(function (v) {
          var label = document.createElement("label");
          var box = document.createElement("input");
          box.type = "checkbox";
          box.dataset.filter = facet.name + "=" + v.value;
          box.checked = filters.some(function (f) { return f[0] === facet.name && f[1] === v.value; });
          box.addEventListener("change", function () {
            filters = filters.filter(function (f) { return !(f[0] === facet.name && f[1] === v.value); });
            if (box.checked) filters.push([facet.name, v.value]);
            run();
          });
          label.appendChild(box);
          label.appendChild(document.createTextNode(" " + v.label + " (" + v.count + ")"));
          group.appendChild(label);
          if (focusKey === box.dataset.filter) focusBox = box;
        });
        facetsBox.appendChild(group);
      });
      if (focusBox) focusBox.focus();
    }

    /** Runs the query; `further` when the reader asked for more results of the same one. */
    function run(further) {
      var query = input.value;
      if (!further) shown = STEP;
      if (!offline && window.history.replaceState) {
        window.history.replaceState(null, "", "?q=" + encodeURIComponent(query));
      }
      if (!query.trim()) {
        list.textContent = "";
        facetsBox.textContent = "";
        status.textContent = "";
        more.hidden = true;
        return;
      }
      if (!further) status.textContent = text("loading");
      var ticket = ++asked;
      /* The query as typed, as the search box sends it: a last word not followed by a
       * space is matched as a prefix in both places, so both find the same pages. */
      find({ q: query, filters: filters, limit: shown }).then(function (response) {
        if (ticket === asked) render(response, query.trim(), further === true);
      }, function () {
        if (ticket !== asked) return;
        list.textContent = "";
        facetsBox.textContent = "";
        more.hidden = true;
        status.textContent = text("unavailable");
      });
    }

    form.addEventListener("submit", function (e) {
      e.preventDefault();
      filters = [];
      run();
    });
    var q = new URLSearchParams(window.location.search).get("q");
    if (q) {
      input.value = q;
      run();
    }
  }

  /* For themes and tools: `guidebookSearch.query({q, filters, limit})` answers with the
   * same JSON as `guidebook search --json`. */
  window.guidebookSearch = window.guidebookSearch || {};
  window.guidebookSearch.query = function (request) {
    return find(request);
  };

  Array.prototype.forEach.call(document.querySelectorAll("form.search-box"), combobox);
  var page = document.getElementById("search-page");
  if (page) resultsPage(page);
})();
