(function () {
  "use strict";
  var overlay = null;
  var before = null;
  function css(el, props) { Object.keys(props).forEach(function (k) { el.style[k] = props[k]; }); }
  function hide() {
    if (!overlay) return;
    overlay.remove();
    overlay = null;
    if (before && before.focus && document.contains(before)) before.focus();
    before = null;
  }
  function show(problems) {
    var focused = overlay ? before : document.activeElement;
    // Focus returns where it was when the overlay first opened.
    hide();
    before = focused;
    overlay = document.createElement("div");
    overlay.setAttribute("role", "alertdialog");
    overlay.setAttribute("aria-modal", "true");
    overlay.setAttribute("aria-labelledby", "gb-live-title");
    css(overlay, {
      position: "fixed", inset: "0", zIndex: "2147483647", background: "#14181c", color: "#f2f4f6",
      font: "16px/1.5 system-ui, sans-serif", padding: "1.5rem", overflow: "auto", textAlign: "left"
    });
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Close";
    css(close, {
      float: "right", font: "inherit", color: "#14181c", background: "#f2f4f6", border: "2px solid #f2f4f6",
      borderRadius: "4px", padding: "0.3rem 1rem", minHeight: "2.25rem", cursor: "pointer",
      outline: "3px solid #ffbf47", outlineOffset: "2px"
    });
    close.addEventListener("click", hide);
    overlay.appendChild(close);
    var h = document.createElement("h2");
    h.id = "gb-live-title";
    h.textContent = "The site could not be rebuilt. Fix these problems and save: this page will reload.";
    css(h, { font: "600 1.25rem/1.4 system-ui, sans-serif", margin: "0 0 1rem", color: "#f2f4f6" });
    overlay.appendChild(h);
    var list = document.createElement("ul");
    css(list, { paddingLeft: "1.25rem", margin: "0" });
    problems.forEach(function (p) {
      var li = document.createElement("li");
      css(li, { marginBottom: "0.75rem", overflowWrap: "anywhere" });
      var where = document.createElement("code");
      where.textContent = p.file ? p.file + (p.line ? ":" + p.line + (p.column ? ":" + p.column : "") : "") : "site";
      css(where, { color: "#ffd479", fontFamily: "ui-monospace, monospace" });
      li.appendChild(where);
      li.appendChild(document.createTextNode(" " + p.severity + ": " + p.message));
      list.appendChild(li);
    });
    overlay.appendChild(list);
    // A click on its text focuses the dialog itself rather than the page beneath.
    overlay.tabIndex = -1;
    document.body.appendChild(overlay);
    close.focus();
  }
  // Escape and Tab are handled for the whole document while the overlay is shown, so
  // that they work wherever focus is (after a click on the text, it may be on <body>).
  document.addEventListener("keydown", function (e) {
    if (!overlay) return;
    if (e.key === "Escape") { e.preventDefault(); e.stopPropagation(); hide(); }
    else if (e.key === "Tab") { e.preventDefault(); overlay.querySelector("button").focus(); }
  }, true);
  var on = {
    reload: function (data) {
      // A message that names pages (those a change rewrote) is for them alone; a page
      // that shows the last rebuild's problems reloads whatever changed.
      var only = null;
      try { only = JSON.parse(data).only || null; } catch (err) { only = null; }
      var here = decodeURIComponent(location.pathname).replace(/index\.html$/, "");
      if (only && !overlay && only.indexOf(here) < 0) return;
      location.reload();
    },
    errors: function (data) { try { show(JSON.parse(data)); } catch (err) { show([]); } },
    ok: hide
  };
  // The site's open pages share one event stream through a worker (a browser opens at
  // most six connections to a server); where there are no shared workers, each has its own.
  var worker = null;
  try { worker = typeof SharedWorker === "function" ? new SharedWorker("/__guidebook/live-worker.js") : null; } catch (err) { worker = null; }
  // The first word from the server says that the page listens (`data-live` on <html>,
  // which tests wait for).
  function hear(type, data) {
    document.documentElement.setAttribute("data-live", "");
    if (on[type]) on[type](data);
  }
  if (worker) {
    worker.port.onmessage = function (m) { hear(m.data.type, m.data.data); };
    worker.port.start();
  } else {
    var events = new EventSource("/__guidebook/events");
    Object.keys(on).forEach(function (type) { events.addEventListener(type, function (e) { hear(type, e.data); }); });
    // Another server than before (serve was started again): the site may have changed.
    var server = null;
    events.addEventListener("hello", function (e) {
      var now = null;
      try { now = JSON.parse(e.data).server; } catch (err) { now = null; }
      if (server !== null && now !== server) location.reload();
      server = now;
    });
  }
})();
