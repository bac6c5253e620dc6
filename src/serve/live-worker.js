// One event stream from `guidebook serve` for every open page of the site, shared through
// this worker: a browser opens at most six connections to one server, and a stream held by
// each page would leave none for a seventh page, or for the pages' own requests.
(function () {
  "use strict";
  var ports = [];
  // The last word on the site ("ok" or its problems), for pages that open later.
  var last = null;
  var events = new EventSource("/__guidebook/events");
  ["reload", "errors", "ok"].forEach(function (type) {
    events.addEventListener(type, function (e) {
      var message = { type: type, data: e.data };
      // A reload follows a rebuild that wrote the site: it has no problems.
      last = type === "reload" ? { type: "ok", data: "{}" } : message;
      ports.forEach(function (port) { port.postMessage(message); });
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
