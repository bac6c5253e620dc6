// One event stream from `guidebook serve` for every open page of the site, shared through
// this worker: a browser opens at most six connections to one server, and a stream held by
// each page would leave none for a seventh page, or for the pages' own requests.
(function () {
  "use strict";
  var ports = [];
  // The last word on the site ("ok" or its problems), for pages that open later.
  var last = null;
  var events = new EventSource("/__guidebook/events");
  function tell(message) { ports.forEach(function (port) { port.postMessage(message); }); }
  // Another server than before (serve was started again): the site may have changed.
  var server = null;
  events.addEventListener("hello", function (e) {
    var now = null;
    try { now = JSON.parse(e.data).server; } catch (err) { now = null; }
    if (server !== null && now !== server) tell({ type: "reload", data: "{}" });
    server = now;
  });
  ["reload", "errors", "ok"].forEach(function (type) {
    events.addEventListener(type, function (e) {
      var message = { type: type, data: e.data };
      // A reload follows a rebuild that wrote the site: it has no problems.
      last = type === "reload" ? { type: "ok", data: "{}" } : message;
      tell(message);
    });
  });
  self.onconnect = function (e) {
    var port = e.ports[0];
    // Kept while the worker lives (a page kept for the back button comes back to it);
    // telling a page that has gone does nothing.
    ports.push(port);
    if (last) port.postMessage(last);
    port.start();
  };
})();
