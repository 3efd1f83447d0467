/* The body page: the date slider swaps in the member table for that day and repaints the map from it. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("page-data").textContent);
  var svg = document.getElementById("map");
  var slider = document.getElementById("when");
  var label = document.getElementById("when-label");
  var table = document.getElementById("members");
  var pending = 0;

  function sectionsFromTable() {
    var out = {};
    table.querySelectorAll("tr[data-id]").forEach(function (row) {
      out[row.dataset.id] = row.dataset.section;
    });
    return out;
  }

  function show(day) {
    var ticket = ++pending;
    label.textContent = day;
    var url = "/body/" + encodeURIComponent(data.body) + "/members?as_of=" + encodeURIComponent(day);
    table.setAttribute("aria-busy", "true");
    return fetch(url, { headers: { "Accept": "text/html" } }).then(function (r) {
      if (!r.ok) { throw new Error("HTTP " + r.status); }
      return r.text();
    }).then(function (html) {
      if (ticket !== pending) { return; }  // a later move of the slider won
      table.innerHTML = html;  // rendered and escaped by the server's templates
      table.removeAttribute("aria-busy");
      AccordsMap.paint(svg, sectionsFromTable());
      var params = new URLSearchParams(window.location.search);
      params.set("as_of", day);
      history.replaceState(null, "", "?" + params.toString());
    }).catch(function (err) {
      table.removeAttribute("aria-busy");
      label.textContent = day + " (could not load: " + err.message + ")";
    });
  }

  slider.addEventListener("input", function () { label.textContent = data.dates[slider.value]; });
  slider.addEventListener("change", function () { show(data.dates[slider.value]); });
  AccordsMap.draw(svg).then(function () { AccordsMap.paint(svg, sectionsFromTable()); });
})();
