/* A tiny world map: SVG paths precomputed in world.json (equirectangular, Natural Earth shapes).
   AccordsMap.draw(svg) loads and draws it once; AccordsMap.paint(svg, {ISO3: section}) colours it. */
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var loaded = null;

  function load() {
    if (!loaded) {
      loaded = fetch("/static/world.json").then(function (r) { return r.json(); });
    }
    return loaded;
  }

  function draw(svg) {
    return load().then(function (world) {
      svg.setAttribute("viewBox", "0 0 " + world.width + " " + world.height);
      var sea = document.createElementNS(NS, "rect");
      sea.setAttribute("class", "sea");
      sea.setAttribute("width", world.width);
      sea.setAttribute("height", world.height);
      svg.appendChild(sea);
      world.countries.forEach(function (c) {
        var g = document.createElementNS(NS, "a");
        g.setAttribute("href", "/country/" + encodeURIComponent(c.id));
        g.setAttribute("class", "country");
        g.dataset.id = c.id;
        var title = document.createElementNS(NS, "title");
        title.textContent = c.name;
        g.appendChild(title);
        var p = document.createElementNS(NS, "path");
        p.setAttribute("d", c.d);
        g.appendChild(p);
        if (c.dot) {
          var dot = document.createElementNS(NS, "circle");
          dot.setAttribute("cx", c.dot[0]);
          dot.setAttribute("cy", c.dot[1]);
          dot.setAttribute("r", 3.2);
          dot.setAttribute("class", "dot");
          g.appendChild(dot);
        }
        svg.appendChild(g);
      });
      svg.dataset.ready = "1";
      return svg;
    });
  }

  function paint(svg, sections) {
    svg.querySelectorAll("a.country").forEach(function (g) {
      var section = sections[g.dataset.id];
      g.setAttribute("class", "country" + (section ? " st-" + section : ""));
      var title = g.querySelector("title");
      var name = title.dataset.name || title.textContent;
      title.dataset.name = name;
      title.textContent = section ? name + " — " + section : name;
      g.dataset.section = section || "";
    });
  }

  window.AccordsMap = { draw: draw, paint: paint };
})();
