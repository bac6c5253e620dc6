/* guidebook: the reader's colour scheme and the header menu.
 *
 * Loaded in <head> so that a chosen scheme applies before the first paint: the choice
 * (light, dark, or as the system) is kept in localStorage and set as data-scheme on
 * <html>; the style sheet does the rest. Without JavaScript the page follows the system
 * setting and the scheme control stays hidden.
 *
 * The menu is a <details> disclosure that works without this script. The script only
 * closes it with Escape and keeps it open on wide screens in browsers whose style sheet
 * cannot show a closed disclosure's content.
 *
 * A group of the navigation ("About") is a <details> too; on wide screens it drops down
 * over the page. The script closes an open group with Escape (focus back on its summary)
 * and, on wide screens, when a click or focus lands outside it. */
(function () {
  "use strict";
  var KEY = "guidebook-scheme";
  var root = document.documentElement;

  function stored() {
    try { return window.localStorage.getItem(KEY); } catch (e) { return null; }
  }
  function store(value) {
    try {
      if (value === "system") window.localStorage.removeItem(KEY);
      else window.localStorage.setItem(KEY, value);
    } catch (e) { /* storage refused (private mode, file://): the choice lasts this page */ }
  }
  function apply(value) {
    if (value === "light" || value === "dark") root.setAttribute("data-scheme", value);
    else root.removeAttribute("data-scheme");
  }
  apply(stored());

  function schemeControl() {
    var radios = document.querySelectorAll("input[name=gb-scheme]");
    if (radios.length === 0) return;
    var current = stored();
    current = current === "light" || current === "dark" ? current : "system";
    Array.prototype.forEach.call(radios, function (radio) {
      radio.checked = radio.value === current;
      radio.addEventListener("change", function () {
        if (!radio.checked) return;
        apply(radio.value);
        store(radio.value);
      });
    });
    var holder = radios[0].closest(".scheme-choice");
    if (holder) holder.hidden = false;
  }

  function menu() {
    var details = document.querySelector(".site-header details.menu");
    if (!details) return;
    var summary = details.querySelector("summary");
    var styled = window.CSS && CSS.supports && CSS.supports("selector(::details-content)");
    var wide = window.matchMedia("(min-width: 48em)");
    function fit() {
      if (styled) return;
      details.classList.toggle("js-menu-wide", wide.matches);
      details.open = wide.matches;
    }
    fit();
    if (wide.addEventListener) wide.addEventListener("change", fit);
    details.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && details.open && !wide.matches) {
        details.open = false;
        if (summary) summary.focus();
      }
    });
  }

  function groups() {
    var all = Array.prototype.slice.call(document.querySelectorAll(".site-nav .nav-group > details"));
    if (all.length === 0) return;
    var wide = window.matchMedia("(min-width: 48em)");
    document.addEventListener("keydown", function (e) {
      if (e.key !== "Escape") return;
      all.forEach(function (group) {
        if (!group.open) return;
        group.open = false;
        group.querySelector("summary").focus();
        // Escape closes the group, not also the menu around it or the search list.
        e.stopPropagation();
      });
    }, true);
    function outside(e) {
      if (!wide.matches) return;
      all.forEach(function (group) {
        if (group.open && !group.contains(e.target)) group.open = false;
      });
    }
    document.addEventListener("click", outside);
    document.addEventListener("focusin", outside);
  }

  function ready() {
    schemeControl();
    menu();
    groups();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
