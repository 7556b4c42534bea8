// reti query page with YASGUI (vendored: /assets/yasgui.min.js, see /assets/THIRD-PARTY-NOTICES.txt).
// Nothing leaves this origin: the endpoint is this server's /sparql, the LOV autocompleters
// are replaced by ones over this dataset's own prefixes, classes and properties, and prefix.cc
// is never asked. The page's plain form (query.js) stays for browsers where YASGUI cannot run.
(function () {
  "use strict";
  var mount = document.getElementById("yasgui");
  var dataEl = document.getElementById("query-data");
  if (!mount || !dataEl || typeof window.Yasgui !== "function") return;
  var data = JSON.parse(dataEl.textContent);
  var Yasgui = window.Yasgui;
  var Yasqe = Yasgui.Yasqe;
  var endpoint = new URL("/sparql", window.location.href).href;

  // completions from this dataset only
  var prefixes = data.prefixes.map(function (p) { return p[0] + ": <" + p[1] + ">"; }).sort();
  Yasqe.forkAutocompleter("prefixes", {
    name: "reti-prefixes", bulk: true, persistenceId: null,
    get: function () { return prefixes; },
  }, false);
  Yasqe.forkAutocompleter("class", {
    name: "reti-class", bulk: true, persistenceId: null,
    get: function () { return data.classes; },
  }, false);
  Yasqe.forkAutocompleter("property", {
    name: "reti-property", bulk: true, persistenceId: null,
    get: function () { return data.properties; },
  }, false);
  var completers = ["reti-prefixes", "reti-class", "reti-property", "variables"];
  Yasqe.defaults.autocompleters = completers.slice();

  // the query to open with: a share link (#query=…), a stored query (?example=), or the default
  var fromHash = null;
  if (window.location.hash.indexOf("#query=") === 0) {
    try { fromHash = decodeURIComponent(window.location.hash.slice("#query=".length)); } catch (e) { fromHash = null; }
  }
  var textarea = document.getElementById("query");
  var initial = fromHash !== null ? fromHash : (textarea ? textarea.value : "");

  var yasgui;
  try {
    yasgui = new Yasgui(mount, {
      requestConfig: { endpoint: endpoint, method: "POST", headers: {} },
      copyEndpointOnNewTab: false,
      endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; }, keys: [] },
      populateFromUrl: false,
      persistenceId: "reti-query-" + data.base,
      yasqe: { autocompleters: completers.slice(), resizeable: true, editorHeight: "300px", prefixCcApi: null },
      yasr: { prefixes: Object.fromEntries(data.prefixes) },
    });
  } catch (e) {
    if (window.console) console.warn("YASGUI could not start; the plain editor stays", e);
    return;
  }
  // the plain form steps aside
  document.querySelectorAll("[data-plain-editor]").forEach(function (el) { el.hidden = true; });
  mount.hidden = false;
  document.querySelectorAll("[data-yasgui-only]").forEach(function (el) { el.hidden = false; });

  function tab() { return yasgui.getTab(); }

  // what YASGUI leaves out for assistive technologies, and the endpoint box (this page queries
  // this server only); done again whenever YASGUI draws a tab
  var words = mount.dataset;
  function tidy() {
    mount.querySelectorAll("input.autocomplete").forEach(function (input) {
      input.setAttribute("aria-label", words.endpoint || "SPARQL endpoint");
      var wrapper = input.parentElement;
      if (wrapper && wrapper !== mount) wrapper.hidden = true;
    });
    mount.querySelectorAll(".CodeMirror textarea").forEach(function (t) {
      t.setAttribute("aria-label", words.editor || "SPARQL query");
    });
    // the editor's scrolling area can be reached by keyboard (a long query scrolls)
    mount.querySelectorAll(".CodeMirror-scroll").forEach(function (el) {
      el.setAttribute("tabindex", "0");
    });
    mount.querySelectorAll(".tab input[type=text]").forEach(function (t) {
      t.setAttribute("aria-label", words.tabName || "Tab name");
    });
    // the results: their page-size menu named, the row-number column named, and the table in
    // a region that scrolls by itself (and by keyboard) when wider than a phone
    mount.querySelectorAll("select.tableSizer").forEach(function (sel) {
      if (!sel.getAttribute("aria-label")) sel.setAttribute("aria-label", words.pageSize || "Page size");
    });
    mount.querySelectorAll(".yasr table.dataTable thead th .dt-column-title").forEach(function (title) {
      if (!title.textContent.trim() && !title.querySelector(".visually-hidden")) {
        var hidden = document.createElement("span");
        hidden.className = "visually-hidden";
        hidden.textContent = words.row || "Row";
        title.appendChild(hidden);
      }
    });
    mount.querySelectorAll(".yasr_results").forEach(function (region) {
      if (region.getAttribute("tabindex") !== "0") {
        region.setAttribute("tabindex", "0");
        region.setAttribute("role", "region");
        region.setAttribute("aria-label", words.results || "Results");
      }
    });
    // a tab list holds tabs only: the "add a tab" button goes beside it
    mount.querySelectorAll(".tabsList").forEach(function (list) {
      Array.prototype.slice.call(list.children).forEach(function (child) {
        if (child.querySelector("button.addTab")) list.parentNode.insertBefore(child, list.nextSibling);
      });
    });
  }
  tidy();
  var pending = false;
  new MutationObserver(function () {
    if (pending) return;
    pending = true;
    setTimeout(function () { pending = false; tidy(); }, 0);
  }).observe(mount, { childList: true, subtree: true });
  if (fromHash !== null || data.selected || !window.localStorage.getItem("yasqe_reti-started")) {
    tab().setQuery(initial);
  }
  try { window.localStorage.setItem("yasqe_reti-started", "1"); } catch (e) { /* private mode */ }

  // the address keeps the query (today's share links: /sparql#query=…)
  function remember() {
    var q = tab().getQuery();
    var url = window.location.pathname + window.location.search + "#query=" + encodeURIComponent(q);
    window.history.replaceState(null, "", url);
  }
  function watch(t) {
    var y = t.getYasqe && t.getYasqe();
    if (y) y.on("change", remember);
  }
  watch(tab());
  yasgui.on("tabSelect", function () { setTimeout(function () { watch(tab()); remember(); }, 0); });
  remember();

  // the stored queries, offered above the editor
  var stored = document.getElementById("stored-editor");
  if (stored) {
    stored.addEventListener("change", function () {
      var q = data.queries.filter(function (x) { return x.name === stored.value; })[0];
      if (q) { tab().setQuery(q.text); remember(); }
    });
  }
  window.retiYasgui = yasgui;
})();
