// reti query page: runs the query with a POST to /sparql and shows the results.
// Plain JavaScript, no framework. Data is only ever put in the page with textContent.
(function () {
  "use strict";
  var form = document.getElementById("query-form");
  if (!form) return;
  var data = JSON.parse(document.getElementById("query-data").textContent);
  var select = document.getElementById("stored");
  var textarea = document.getElementById("query");
  var description = document.getElementById("stored-description");
  var button = document.getElementById("run");
  var status = document.getElementById("status");
  var output = document.getElementById("output");
  var errorBox = document.getElementById("error");
  var results = document.getElementById("results");
  var downloads = document.getElementById("downloads");
  var MAX_ROWS = 2000;
  var base = data.base;
  var byName = {};
  data.queries.forEach(function (q) { byName[q.name] = q; });
  // longest namespace first, so `place:` wins over a shorter match
  var prefixes = data.prefixes.slice().sort(function (a, b) { return b[1].length - a[1].length; });

  function compact(iri) {
    for (var i = 0; i < prefixes.length; i++) {
      var ns = prefixes[i][1];
      if (iri.length > ns.length && iri.indexOf(ns) === 0) {
        var local = iri.slice(ns.length);
        if (local.indexOf("//") !== 0) return prefixes[i][0] + ":" + local;
      }
    }
    return iri;
  }

  function href(iri) {
    if (iri.indexOf(base + "id/") === 0) return "/doc/" + iri.slice((base + "id/").length);
    var reti = "https://w3id.org/reti/ontology#";
    if (iri.indexOf(reti) === 0) return "/ontology#" + iri.slice(reti.length);
    if (/^https?:\/\//i.test(iri)) return iri;
    return null; // never link other schemes (javascript:, data:)
  }

  function el(name, text, attrs) {
    var node = document.createElement(name);
    if (text !== undefined && text !== null) node.textContent = text;
    if (attrs) Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  function cell(term) {
    var td = el("td");
    if (!term) return td;
    if (term.type === "uri") {
      var h = href(term.value);
      var text = compact(term.value);
      if (h) td.appendChild(el("a", text, { href: h, title: term.value }));
      else td.textContent = text;
    } else if (term.type === "bnode") {
      td.textContent = "_:" + term.value;
    } else {
      var span = el("span", term.value);
      var tag = term["xml:lang"];
      if (tag) {
        span.setAttribute("lang", tag);
        td.appendChild(span);
        td.appendChild(document.createTextNode(" "));
        td.appendChild(el("small", tag, { "class": "tag" }));
      } else {
        td.appendChild(span);
      }
    }
    return td;
  }

  function showTable(json) {
    if (typeof json.boolean === "boolean") {
      results.appendChild(el("p", json.boolean ? form.dataset.yes : form.dataset.no, { "class": "answer" }));
      status.textContent = "";
      return;
    }
    var vars = (json.head && json.head.vars) || [];
    var rows = (json.results && json.results.bindings) || [];
    status.textContent = rows.length + " " + form.dataset.rows;
    if (rows.length === 0) {
      results.appendChild(el("p", form.dataset.empty));
      return;
    }
    var table = el("table", null, { "class": "results" });
    var thead = el("thead");
    var head = el("tr");
    vars.forEach(function (v) { head.appendChild(el("th", v, { scope: "col" })); });
    thead.appendChild(head);
    table.appendChild(thead);
    var tbody = el("tbody");
    rows.slice(0, MAX_ROWS).forEach(function (row) {
      var tr = el("tr");
      vars.forEach(function (v) { tr.appendChild(cell(row[v])); });
      tbody.appendChild(tr);
    });
    table.appendChild(tbody);
    results.appendChild(table);
    if (rows.length > MAX_ROWS) {
      results.appendChild(el("p", MAX_ROWS + " / " + rows.length + " " + form.dataset.rows, { "class": "note" }));
    }
  }

  function setDownloads(query, graph) {
    while (downloads.childNodes.length > 1) downloads.removeChild(downloads.lastChild);
    var formats = graph
      ? [["Turtle", "ttl"], ["JSON-LD", "jsonld"], ["N-Triples", "nt"], ["RDF/XML", "rdf"]]
      : [["CSV", "csv"], ["JSON", "json"], ["TSV", "tsv"], ["XML", "xml"]];
    var stored = select.value && byName[select.value] && byName[select.value].text === query ? select.value : null;
    formats.forEach(function (f) {
      downloads.appendChild(document.createTextNode(" "));
      var url = stored
        ? "/queries/" + encodeURIComponent(stored) + "?format=" + f[1]
        : "/sparql?query=" + encodeURIComponent(query) + "&format=" + f[1];
      downloads.appendChild(el("a", f[0], { href: url, download: "results." + f[1] }));
    });
  }

  function reset() {
    output.hidden = false;
    errorBox.hidden = true;
    errorBox.textContent = "";
    while (results.firstChild) results.removeChild(results.firstChild);
  }

  function fail(message) {
    errorBox.hidden = false;
    errorBox.textContent = form.dataset.failed + ": " + message;
    downloads.hidden = true;
    status.textContent = "";
  }

  function run() {
    var query = textarea.value;
    reset();
    button.disabled = true;
    status.textContent = form.dataset.running;
    fetch("/sparql", {
      method: "POST",
      headers: {
        "Content-Type": "application/sparql-query",
        // SELECT and ASK answer JSON; CONSTRUCT and DESCRIBE answer Turtle
        "Accept": "application/sparql-results+json, text/turtle;q=0.9"
      },
      body: query
    }).then(function (response) {
      return response.text().then(function (body) {
        if (!response.ok) {
          fail(body.trim() || (response.status + " " + response.statusText));
          return;
        }
        var type = response.headers.get("Content-Type") || "";
        var graph = type.indexOf("sparql-results+json") < 0;
        downloads.hidden = false;
        setDownloads(query, graph);
        if (graph) {
          status.textContent = "";
          results.appendChild(el("pre", body, { "class": "code" }));
        } else {
          showTable(JSON.parse(body));
        }
      });
    }).catch(function (e) {
      fail(String(e && e.message ? e.message : e));
    }).then(function () {
      button.disabled = false;
      if (status.textContent === form.dataset.running) status.textContent = "";
    });
  }

  function choose(name) {
    var q = byName[name];
    description.textContent = q ? q.description : "";
    if (q) textarea.value = q.text;
    var url = new URL(window.location.href);
    if (name) url.searchParams.set("example", name); else url.searchParams.delete("example");
    url.hash = "";
    window.history.replaceState(null, "", url.toString());
  }

  select.addEventListener("change", function () { choose(select.value); });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    run();
  });
  textarea.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      run();
    }
  });
  // `/sparql#query=…` (the "query this resource" links) prefills the editor
  var hash = window.location.hash;
  if (hash.indexOf("#query=") === 0) {
    try {
      textarea.value = decodeURIComponent(hash.slice("#query=".length));
      select.value = "";
      description.textContent = "";
    } catch (e) { /* a malformed link: keep the default query */ }
  }
})();
