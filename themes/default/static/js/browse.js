/* guidebook: combine facet filters in place on a browse page.
 * Without this script every facet value is a link to a page listing its pages; with it,
 * the values become toggle buttons and the cards are filtered in place: values of one
 * facet widen the selection (or), values of different facets narrow it (and).
 * The selection is kept in the address (`?country=france&themes=training,reintegration`),
 * so that a filtered view can be bookmarked or shared; opening such an address restores it.
 * A facet value page (`<section>/country/france/`) lists only that value's pages, so it
 * filters nothing in place: its values become links to the section page with the query
 * (`../../?country=netherlands`), where the whole section is filtered. */
(function () {
  "use strict";
  var nav = document.querySelector("nav.facets");
  if (!nav) return;
  var all = nav.querySelector(".facets-all a");
  if (all && !all.hasAttribute("aria-current")) {
    linkToSection(all.getAttribute("href"));
    return;
  }
  var cards = Array.prototype.slice.call(document.querySelectorAll(".cards > .card"));
  var status = document.querySelector(".browse-status");
  var statusLine = statusText(nav.getAttribute("data-status"));
  var buttons = [];

  /* On a facet value page: each value leads to the section page filtered by that value,
   * together with this page's own value when it is of another facet (on `country/france/`,
   * a theme leads to `?country=france&themes=training`; another country to
   * `?country=netherlands`). */
  function linkToSection(section) {
    var here = nav.querySelector("section.facet a[data-value][aria-current]");
    var own = here ? split(here.getAttribute("data-value")) : null;
    Array.prototype.forEach.call(nav.querySelectorAll("section.facet a[data-value]"), function (link) {
      var value = split(link.getAttribute("data-value"));
      var parts = [];
      if (own && own[0] !== value[0]) parts.push(pair(own));
      parts.push(pair(value));
      link.setAttribute("href", section + "?" + parts.join("&"));
    });
  }

  /* The status line, from `data-status`: `{"locale", "text"}` as the build writes it, the
   * text plain or with plural forms (`one`, `other`...) chosen by the total with the
   * browser's CLDR rules (`Intl.PluralRules`); or, from an older theme, a plain text. */
  function statusText(attribute) {
    var spec = { locale: document.documentElement.lang, text: attribute || "{shown} / {total}" };
    try {
      var parsed = JSON.parse(attribute);
      if (parsed && typeof parsed === "object" && parsed.text) spec = parsed;
    } catch (e) { /* a plain text */ }
    var rules = null;
    try { rules = new Intl.PluralRules(spec.locale); } catch (e) { rules = null; }
    return function (shown, total) {
      var text = spec.text;
      if (typeof text === "object") text = text[rules ? rules.select(total) : "other"] || text.other || "";
      return text.split("{shown}").join(String(shown)).split("{total}").join(String(total)).split("{count}").join(String(total));
    };
  }

  function split(key) {
    var at = key.indexOf(":");
    return [key.slice(0, at), key.slice(at + 1)];
  }

  function pair(kv) {
    return encodeURIComponent(kv[0]) + "=" + encodeURIComponent(kv[1]);
  }

  function tokens(card) {
    return (card.getAttribute("data-facets") || "").split(" ");
  }

  function selection() {
    var chosen = {};
    buttons.forEach(function (b) {
      if (b.getAttribute("aria-pressed") === "true") {
        var facet = b.getAttribute("data-facet");
        (chosen[facet] = chosen[facet] || []).push(b.getAttribute("data-value"));
      }
    });
    return chosen;
  }

  function matches(card, chosen, skipFacet) {
    var own = tokens(card);
    return Object.keys(chosen).every(function (facet) {
      if (facet === skipFacet) return true;
      return chosen[facet].some(function (v) { return own.indexOf(v) !== -1; });
    });
  }

  /* The selection as a query string, in the order of the facets on the page. */
  function query(chosen) {
    var parts = [];
    Array.prototype.forEach.call(nav.querySelectorAll("section.facet"), function (section) {
      var facet = section.getAttribute("data-facet");
      var values = (chosen[facet] || []).map(function (v) { return v.slice(facet.length + 1); });
      if (values.length) parts.push(encodeURIComponent(facet) + "=" + values.map(encodeURIComponent).join(","));
    });
    return parts.length ? "?" + parts.join("&") : "";
  }

  function remember(chosen) {
    var search = query(chosen);
    if (search === window.location.search || !window.history || !window.history.replaceState) return;
    try {
      window.history.replaceState(null, "", window.location.pathname + search + window.location.hash);
    } catch (e) {
      /* Some browsers refuse to change the address of a page opened from file://. */
    }
  }

  /* The values named in the address, as `facet:value` keys. */
  function requested() {
    var keys = [];
    window.location.search.replace(/^\?/, "").split("&").forEach(function (pair) {
      var at = pair.indexOf("=");
      if (at < 1) return;
      var facet = decodeURIComponent(pair.slice(0, at));
      pair.slice(at + 1).split(",").forEach(function (v) {
        if (v) keys.push(facet + ":" + decodeURIComponent(v.replace(/\+/g, " ")));
      });
    });
    return keys;
  }

  function apply() {
    var chosen = selection();
    var shown = 0;
    cards.forEach(function (card) {
      var visible = matches(card, chosen, null);
      card.hidden = !visible;
      if (visible) shown += 1;
    });
    buttons.forEach(function (b) {
      var facet = b.getAttribute("data-facet");
      var value = b.getAttribute("data-value");
      var n = cards.filter(function (c) { return matches(c, chosen, facet) && tokens(c).indexOf(value) !== -1; }).length;
      b.querySelector(".count").textContent = String(n);
    });
    remember(chosen);
    if (status) {
      status.textContent = Object.keys(chosen).length
        ? statusLine(shown, cards.length)
        : "";
    }
  }

  Array.prototype.forEach.call(nav.querySelectorAll("section.facet"), function (section) {
    var facet = section.getAttribute("data-facet");
    Array.prototype.forEach.call(section.querySelectorAll("a[data-value]"), function (link) {
      var item = link.parentNode;
      var count = item.querySelector(".count");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "facet-value";
      button.setAttribute("data-facet", facet);
      button.setAttribute("data-value", link.getAttribute("data-value"));
      button.setAttribute("aria-pressed", link.hasAttribute("aria-current") ? "true" : "false");
      // The name keeps the language the link gave it (an untranslated page's title).
      var name = document.createElement("span");
      if (link.lang) name.lang = link.lang;
      name.textContent = link.textContent;
      button.appendChild(name);
      button.appendChild(document.createTextNode(" "));
      var badge = document.createElement("span");
      badge.className = "count";
      badge.textContent = count ? count.textContent : "";
      button.appendChild(badge);
      button.addEventListener("click", function () {
        button.setAttribute("aria-pressed", button.getAttribute("aria-pressed") === "true" ? "false" : "true");
        apply();
      });
      item.textContent = "";
      item.appendChild(button);
      buttons.push(button);
    });
  });
  if (all) {
    all.addEventListener("click", function (event) {
      event.preventDefault();
      buttons.forEach(function (b) { b.setAttribute("aria-pressed", "false"); });
      apply();
    });
  }
  var wanted = requested();
  buttons.forEach(function (b) {
    if (wanted.indexOf(b.getAttribute("data-value")) !== -1) b.setAttribute("aria-pressed", "true");
  });
  apply();
})();
