// The language chooser (the site's own index.html): goes to the first language of the
// reader's browser that the site has. Without JavaScript, the page is a list of links.
// An external file, so that a strict Content-Security-Policy (no inline script) allows it.
(function () {
  "use strict";
  var links = document.querySelectorAll("main a[hreflang]");
  var wanted = navigator.languages || [navigator.language || ""];
  for (var i = 0; i < wanted.length; i++) {
    var want = String(wanted[i]).toLowerCase();
    for (var j = 0; j < links.length; j++) {
      var code = links[j].getAttribute("hreflang").toLowerCase();
      if (want === code || want.split("-")[0] === code) {
        location.replace(links[j].href);
        return;
      }
    }
  }
})();
