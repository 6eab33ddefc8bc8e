/*
 * kg map page: draws the network with vis-network and builds every other piece of DOM
 * from the JSON payload with createElement/textContent, never innerHTML: titles, notes
 * and addresses come from the web and must stay text. Only http(s) addresses become
 * links, checked again here although kg.render already filtered them.
 */
(function () {
  "use strict";

  var MAX_NEIGHBOURS = 60; // per section: a hub cited by thousands would freeze the panel
  var MAX_RESULTS = 20;
  var PROTOCOLS = { "http:": true, "https:": true };

  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var details = data.details;
  var panel = document.getElementById("kg-panel");
  var panelBody = document.getElementById("kg-panel-body");
  var search = document.getElementById("kg-search");
  var results = document.getElementById("kg-results");

  var relationStyle = new Map(data.relations.map(function (r) { return [r.key, r.style]; }));
  var idByIri = new Map(Object.keys(details).map(function (id) { return [details[id].iri, id]; }));
  var nodes = new vis.DataSet(data.nodes);
  // Each relation's look is sent once and merged here, not repeated on every edge.
  var edges = new vis.DataSet(data.edges.map(function (e) {
    return Object.assign({}, e, relationStyle.get(e.rel) || {});
  }));
  var network = new vis.Network(
    document.getElementById("kg-network"),
    { nodes: nodes, edges: edges },
    data.options
  );
  var adjacency = buildAdjacency(data.edges);

  function buildAdjacency(edgeList) {
    var out = new Map();
    var inc = new Map();
    function push(map, id, entry) {
      if (!map.has(id)) map.set(id, []);
      map.get(id).push(entry);
    }
    edgeList.forEach(function (e) {
      push(out, e.from, { other: e.to, rel: e.rel, position: e.position });
      push(inc, e.to, { other: e.from, rel: e.rel, position: e.position });
    });
    return { out: out, inc: inc };
  }

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function httpHref(href) {
    var url;
    try {
      url = new URL(href);
    } catch (err) {
      return null;
    }
    return PROTOCOLS[url.protocol] === true ? url.href : null;
  }

  function labelOf(id) {
    var d = details[id];
    return d && d.label ? d.label : String(id);
  }

  function sizeOf(id) {
    var n = nodes.get(id);
    return n && typeof n.value === "number" ? n.value : 0;
  }

  function nodeButton(id) {
    var button = el("button", labelOf(id));
    button.type = "button";
    button.addEventListener("click", function () {
      select(id);
    });
    return button;
  }

  function metaLine(d) {
    var parts = [];
    if (d.group === "work") {
      parts.push(d.kind);
      parts.push(d.inList ? "on the list" + (d.number ? " (#" + d.number + ")" : "") : "fetched");
    } else {
      parts.push(d.group === "person" ? "Person" : "Topic");
    }
    if (d.year) parts.push(d.year);
    if (d.venue) parts.push(d.venue);
    if (d.citationCount) parts.push(d.citationCount + " citations");
    return el("p", parts.join(" · "), "kg-meta");
  }

  function linkList(links) {
    var list = el("ul", null, "kg-links");
    links.forEach(function (pair) {
      var item = el("li");
      var href = httpHref(pair[1]);
      if (href) {
        var a = el("a", pair[0]);
        a.href = href;
        a.rel = "noopener noreferrer";
        a.target = "_blank";
        a.title = href;
        item.appendChild(a);
      } else {
        item.appendChild(el("span", pair[0]));
      }
      list.appendChild(item);
    });
    return list;
  }

  // Neighbours grouped into sections ("Authors", "Cites", "Cited by"…), in the order
  // data.relations gives (it names every edge key present); authors keep their byline
  // order, the rest go biggest first.
  function neighbourSections(id) {
    var sections = [];
    data.relations.forEach(function (rel) {
      [["out", rel.out], ["inc", rel["in"]]].forEach(function (pair) {
        var entries = (adjacency[pair[0]].get(id) || []).filter(function (e) {
          return e.rel === rel.key;
        });
        if (entries.length) {
          sections.push({ title: pair[1], key: rel.key, side: pair[0], entries: entries });
        }
      });
    });
    return sections;
  }

  function sortEntries(section) {
    var entries = section.entries.slice();
    if (section.key === "creator" || section.key === "contributor") {
      entries.sort(function (a, b) {
        var pa = typeof a.position === "number" ? a.position : Infinity;
        var pb = typeof b.position === "number" ? b.position : Infinity;
        return pa - pb || labelOf(a.other).localeCompare(labelOf(b.other));
      });
    } else {
      entries.sort(function (a, b) {
        return sizeOf(b.other) - sizeOf(a.other) || labelOf(a.other).localeCompare(labelOf(b.other));
      });
    }
    return entries;
  }

  function sectionList(section) {
    var list = el("ul", null, "kg-neighbours");
    var entries = sortEntries(section);
    entries.slice(0, MAX_NEIGHBOURS).forEach(function (e) {
      var item = el("li");
      item.appendChild(nodeButton(e.other));
      list.appendChild(item);
    });
    if (entries.length > MAX_NEIGHBOURS) {
      list.appendChild(el("li", "… and " + (entries.length - MAX_NEIGHBOURS) + " more", "kg-more"));
    }
    return list;
  }

  function appendSection(fragment, section) {
    fragment.appendChild(el("h3", section.title + " (" + section.entries.length + ")"));
    fragment.appendChild(sectionList(section));
  }

  function showNode(id) {
    var d = details[id];
    if (!d) return false;
    var sections = neighbourSections(id);
    var isByline = function (s) { return s.side === "out" && s.key === "creator"; };
    var fragment = document.createDocumentFragment();
    fragment.appendChild(el("h2", d.label || id, "kg-title"));
    fragment.appendChild(metaLine(d));
    sections.filter(isByline).forEach(function (s) { appendSection(fragment, s); });
    if (d.note) {
      var note = el("p", d.note, "kg-note");
      if (d.noteLang) note.lang = d.noteLang;
      fragment.appendChild(note);
    }
    if (d.tldr) fragment.appendChild(el("p", "TL;DR: " + d.tldr, "kg-tldr"));
    if (d.links && d.links.length) {
      fragment.appendChild(el("h3", "Links"));
      fragment.appendChild(linkList(d.links));
    }
    fragment.appendChild(el("p", d.iri, "kg-iri"));
    sections.filter(function (s) { return !isByline(s); }).forEach(function (s) {
      appendSection(fragment, s);
    });
    panelBody.replaceChildren(fragment);
    panel.hidden = false;
    panel.dataset.node = id;
    panelBody.scrollTop = 0;
    return true;
  }

  function hidePanel() {
    panel.hidden = true;
    delete panel.dataset.node;
  }

  function select(id) {
    if (!showNode(id)) return;
    // The panel just took its width from the canvas: measure now, or focus would aim
    // at the centre of the old, wider canvas.
    network.setSize("100%", "100%");
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 0.8), animation: false });
  }

  function findNodes(query) {
    var q = query.trim().toLowerCase();
    if (!q) return [];
    var found = [];
    for (var i = 0; i < data.nodes.length && found.length < MAX_RESULTS; i++) {
      var id = data.nodes[i].id;
      if (labelOf(id).toLowerCase().indexOf(q) !== -1) found.push(id);
    }
    return found;
  }

  function showResults() {
    var found = findNodes(search.value);
    results.replaceChildren();
    found.forEach(function (id) {
      var item = el("li");
      var button = nodeButton(id);
      button.addEventListener("click", function () {
        results.hidden = true;
      });
      item.appendChild(button);
      results.appendChild(item);
    });
    results.hidden = found.length === 0;
    return found;
  }

  network.on("click", function (params) {
    if (params.nodes.length) showNode(params.nodes[0]);
    else if (!params.edges.length) hidePanel();
  });
  document.getElementById("kg-panel-close").addEventListener("click", hidePanel);
  document.getElementById("kg-fit").addEventListener("click", function () {
    network.fit({ animation: false });
  });
  document.getElementById("kg-physics").addEventListener("change", function (event) {
    network.setOptions({ physics: { enabled: event.target.checked } });
  });
  search.addEventListener("input", showResults);
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      var found = showResults();
      if (found.length) select(found[0]);
      results.hidden = true;
    } else if (event.key === "Escape") {
      results.hidden = true;
    }
  });

  network.once("afterDrawing", function () {
    // Read by tests and by anyone timing the page: the first frame is the final layout.
    window.kgDrawnAt = performance.now();
    window.kgReady = true;
  });
  network.fit({ animation: false });

  window.kgNetwork = network;
  window.kg = {
    network: network,
    showNode: showNode,
    select: select,
    hidePanel: hidePanel,
    idOf: function (iri) { return idByIri.get(iri) || null; },
  };
})();
