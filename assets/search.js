// reti search box: suggestions from /search as one types (two letters or more), chosen with
// the arrow keys and Enter, or by clicking. Without JavaScript the form submits to /search.
// Data is only ever put in the page with textContent.
(function () {
  "use strict";
  var form = document.querySelector("form.search");
  if (!form) return;
  var input = form.querySelector("input[name=q]");
  var list = document.getElementById("site-search-list");
  var lang = form.getAttribute("data-lang") || "en";
  var items = [];
  var active = -1;
  var timer = null;
  var asked = 0;

  function close() {
    list.hidden = true;
    list.textContent = "";
    items = [];
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function mark(i) {
    items.forEach(function (li, j) { li.setAttribute("aria-selected", j === i ? "true" : "false"); });
    active = i;
    if (i >= 0) input.setAttribute("aria-activedescendant", items[i].id);
    else input.removeAttribute("aria-activedescendant");
  }

  function show(results) {
    list.textContent = "";
    items = [];
    active = -1;
    results.forEach(function (r, i) {
      if (!r.page) return;
      var li = document.createElement("li");
      li.id = "site-search-option-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      var name = document.createElement("span");
      name.textContent = r.label;
      if (r.lang && r.lang !== lang) name.lang = r.lang;
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = r.kindLabel;
      li.appendChild(name);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(kind);
      li.setAttribute("data-href", r.page);
      li.addEventListener("mousedown", function (e) {
        e.preventDefault();
        location.href = r.page;
      });
      list.appendChild(li);
      items.push(li);
    });
    var open = items.length > 0;
    list.hidden = !open;
    input.setAttribute("aria-expanded", open ? "true" : "false");
  }

  function suggest() {
    var q = input.value.trim();
    if (q.length < 2) { close(); return; }
    var mine = ++asked;
    fetch("/search?limit=8&lang=" + encodeURIComponent(lang) + "&q=" + encodeURIComponent(q), {
      headers: { Accept: "application/json" },
    })
      .then(function (r) { return r.ok ? r.json() : { results: [] }; })
      .then(function (doc) { if (mine === asked) show(doc.results || []); })
      .catch(function () { if (mine === asked) close(); });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(suggest, 120);
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown" && items.length) {
      e.preventDefault();
      mark((active + 1) % items.length);
    } else if (e.key === "ArrowUp" && items.length) {
      e.preventDefault();
      mark(active <= 0 ? items.length - 1 : active - 1);
    } else if (e.key === "Enter" && active >= 0) {
      e.preventDefault();
      location.href = items[active].getAttribute("data-href");
    } else if (e.key === "Escape") {
      close();
    }
  });
  input.addEventListener("blur", function () { setTimeout(close, 150); });
})();
