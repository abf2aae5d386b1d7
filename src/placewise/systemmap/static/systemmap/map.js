// The system map drawn by Cytoscape.js from the elements the page carries (no layout of our
// own). Keyboard and screen-reader users work from the tables: "Select" on a node shows it on
// the map and lists its relationships as buttons that follow each one to its other end.
(function () {
  "use strict";
  var data = document.getElementById("system-map-elements");
  var container = document.getElementById("system-map-graph");
  if (!data || !container || typeof window.cytoscape !== "function") {
    return;
  }
  var panel = container.closest(".pw-systemmap");
  panel.hidden = false;
  var elements = JSON.parse(data.textContent);
  var colours = {
    organisation: "#1d70b8",
    team: "#4c2c92",
    service: "#00703c",
    community_group: "#f47738",
    person: "#d53880",
    issue: "#d4351c",
    source: "#505a5f"
  };
  var cy = window.cytoscape({
    container: container,
    elements: elements,
    wheelSensitivity: 0.3,
    minZoom: 0.2,
    maxZoom: 1.6,
    style: [
      {
        selector: "node",
        style: {
          label: "data(label)",
          "background-color": function (n) { return colours[n.data("kind")] || "#505a5f"; },
          "font-size": 11,
          "text-wrap": "wrap",
          "text-max-width": 120,
          "text-valign": "bottom",
          "text-margin-y": 4,
          width: 22,
          height: 22
        }
      },
      { selector: "node[kind = 'issue']", style: { shape: "diamond" } },
      { selector: "node[kind = 'source']", style: { shape: "round-rectangle" } },
      {
        selector: "edge",
        style: {
          width: 2,
          "line-color": "#b1b4b6",
          "target-arrow-color": "#b1b4b6",
          "target-arrow-shape": "triangle",
          "curve-style": "bezier",
          label: "data(label)",
          "font-size": 9,
          "text-rotation": "autorotate",
          color: "#505a5f"
        }
      },
      { selector: "edge[kind = 'shares_data']", style: { "line-color": "#1d70b8", "target-arrow-shape": "none" } },
      { selector: "edge[kind = 'causal_opposite']", style: { "line-style": "dashed", "line-color": "#d4351c", "target-arrow-color": "#d4351c" } },
      { selector: "edge[kind = 'causal_same']", style: { "line-color": "#00703c", "target-arrow-color": "#00703c" } },
      { selector: ":selected", style: { "border-width": 4, "border-color": "#ffdd00", "line-color": "#0b0c0c", "target-arrow-color": "#0b0c0c" } }
    ],
    layout: { name: "cose", animate: false, randomize: false }
  });

  var layout = document.getElementById("system-map-layout");
  layout.addEventListener("change", function () {
    cy.layout({ name: layout.value, animate: false }).run();
  });
  document.getElementById("system-map-fit").addEventListener("click", function () { cy.fit(); });

  var selected = document.getElementById("system-map-selected");
  var nodeUrl = function (id) { return "nodes/" + encodeURIComponent(id) + "/"; };

  function text(tag, value) {
    var el = document.createElement(tag);
    el.textContent = value;
    return el;
  }

  function select(id, focus) {
    var node = cy.getElementById(id);
    if (!node || node.empty()) { return; }
    cy.elements().unselect();
    node.select();
    cy.animate({ center: { eles: node }, duration: 150 });
    selected.replaceChildren();
    var heading = text("h2", node.data("label"));
    heading.className = "govuk-heading-s";
    heading.tabIndex = -1;
    heading.id = "system-map-selected-heading";
    selected.appendChild(heading);
    var link = text("a", "Open " + node.data("label"));
    link.className = "govuk-link";
    link.href = nodeUrl(id);
    var p = document.createElement("p");
    p.className = "govuk-body";
    p.appendChild(link);
    selected.appendChild(p);
    var edges = node.connectedEdges();
    if (edges.empty()) {
      selected.appendChild(text("p", "No relationships shown."));
    } else {
      var list = document.createElement("ul");
      list.className = "govuk-list pw-systemmap__edges";
      list.setAttribute("aria-label", "Relationships of " + node.data("label"));
      edges.forEach(function (edge) {
        var out = edge.source().id() === id;
        var other = out ? edge.target() : edge.source();
        var words = out
          ? node.data("label") + " " + edge.data("label") + " " + other.data("label")
          : other.data("label") + " " + edge.data("label") + " " + node.data("label");
        var button = text("button", words);
        button.type = "button";
        button.className = "govuk-button govuk-button--secondary";
        button.dataset.follow = other.id();
        button.addEventListener("click", function () { select(other.id(), true); });
        var item = document.createElement("li");
        item.appendChild(button);
        list.appendChild(item);
      });
      selected.appendChild(list);
    }
    if (focus) { heading.focus(); }
  }

  document.querySelectorAll(".pw-systemmap__select").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      select(button.dataset.node, true);
      panel.scrollIntoView({ block: "start" });
    });
  });
  cy.on("tap", "node", function (event) { select(event.target.id(), false); });
})();
