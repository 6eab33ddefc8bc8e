/*
 * kg map page: the interface (facets, search, details panel, layouts, export) over one of
 * two drawing engines, chosen by kg.render: "vis" (vis-network, its data built with pyvis;
 * templates/vis.js) for graphs of up to 2,000 nodes and 10,000 edges, "canvas"
 * (templates/canvas.js) for larger ones. Every piece of DOM is built from the JSON payload with
 * createElement/textContent, never innerHTML: titles, notes and addresses come from the web
 * and must stay text. Only http(s) addresses become links, checked again here although
 * kg.render already filtered them.
 *
 * The interface is split by concern into files that kg.render (page.py) puts together, in
 * this order, as the body of one strict function: this file (the core), insights.js (the
 * Insights view, and why a node is named by an insight), communities.js (colour by
 * community) and start.js (the start, and window.kg). They share one scope: a file may call
 * the functions of another (declarations are hoisted); what runs at once comes after what
 * it uses.
 *
 * An engine script registers a factory, window.kgEngines[name](mount, model, hooks): mount
 * is the element to draw in, model the page's data and state (see "The engine" below: the
 * columns, edges as index arrays, radius, the starting positions x/y, state, and for vis
 * the nodes, edges and options pyvis built). The factory returns an object with:
 *
 *   setPositions(xs, ys)  place every node (world units; the layout shown)
 *   positions()           [xs, ys]: where the nodes are now (physics and drags move them)
 *   setSizes()            model.radius changed
 *   setVisible()          model.state.visible or .relOn changed
 *   setHighlight()        model.state.highlight changed: the focus's neighbourhood (or the
 *                         evidence of an insight), drawn bright with the focus's edges to
 *                         it; with no focus (state.focus = -1, a community), a group drawn
 *                         bright with the edges inside it
 *   setColours()          model.colours changed: a colour per node, or null for the kinds'
 *                         colours
 *   select()              model.state.selected changed
 *   focus(i, scale)       centre node i, zoomed in to at least scale
 *   fitBox(x0, y0, x1, y1, top)   show this world box (top: pixels kept free above it)
 *   screenPosition(i)     {x, y} in pixels from the top left of the mount
 *   nodeAt(x, y)          the node at those pixels, or -1
 *   setPhysics(on)        run (or stop) a force simulation from the current positions
 *   physicsMax            most shown nodes physics is offered for
 *   resize()              the mount changed size
 *   toPNG(done)           done(blob) with the view as a PNG
 *   redraw()              draw now
 *   whenDrawn(done)       done() once the first frame is on screen
 *
 * and calls back hooks.click(i, additive) (i = -1: the background), hooks.hover(i, point),
 * hooks.moved(i, x, y) (a node was dragged), hooks.underlay(ctx, view) (draw under the
 * graph, in pixels; view = {scale, ox, oy, width, height}: pixel = world * scale + offset)
 * and hooks.overlay(ctx, view) (draw over it, the same way).
 *
 * Sections: data, state, DOM, engine, filters, search, details panel, layouts and physics,
 * export.
 */

  const MAX_NEIGHBOURS = 60; // per panel section: a hub cited by thousands would freeze it
  const MAX_RESULTS = 20;
  const PROTOCOLS = { "http:": true, "https:": true };

  // ------------------------------------------------------------------------------------
  // Data: columns as typed arrays, edges as flat index triples, adjacency as CSR
  // ------------------------------------------------------------------------------------

  const data = JSON.parse(document.getElementById("kg-data").textContent);
  const cols = data.nodes;
  const details = data.details;
  const styles = data.styles;
  const relations = data.relations;
  const N = cols.label.length;
  const E = data.edges.length / 3;
  const labels = cols.label;
  const styleOf = Int32Array.from(cols.style);
  const listed = Uint8Array.from(cols.listed);
  const year = Int32Array.from(cols.year);
  const count = Float64Array.from(cols.count);
  const rank = Float64Array.from(cols.rank);
  const layouts = {
    force: [Float64Array.from(cols.x), Float64Array.from(cols.y)],
    timeline: [Float64Array.from(cols.tx), Float64Array.from(cols.ty)],
  };
  const radii = { count: Float64Array.from(cols.radius), rank: Float64Array.from(cols.radiusRank) };
  const radius = Float64Array.from(radii.count); // the sizes drawn now
  const groupOf = new Array(N);
  for (let i = 0; i < N; i++) groupOf[i] = styles[styleOf[i]].group;

  const esrc = new Int32Array(E);
  const edst = new Int32Array(E);
  const erel = new Int32Array(E);
  for (let e = 0; e < E; e++) {
    esrc[e] = data.edges[3 * e];
    edst[e] = data.edges[3 * e + 1];
    erel[e] = data.edges[3 * e + 2];
  }
  const outgoing = csr(esrc);
  const incoming = csr(edst);
  const relIndex = new Map(relations.map((r, i) => [r.key, i]));

  // Compressed rows: the edges leaving (or entering) node i are list[start[i]..start[i+1]),
  // in payload order, which keeps authors in byline order.
  function csr(ends) {
    const start = new Int32Array(N + 1);
    for (let e = 0; e < E; e++) start[ends[e] + 1]++;
    for (let i = 0; i < N; i++) start[i + 1] += start[i];
    const fill = start.slice(0, N);
    const list = new Int32Array(E);
    for (let e = 0; e < E; e++) list[fill[ends[e]]++] = e;
    return { start: start, list: list };
  }

  function forEachNeighbour(i, fn) {
    for (let k = outgoing.start[i]; k < outgoing.start[i + 1]; k++) {
      const e = outgoing.list[k];
      fn(edst[e], e, "out");
    }
    for (let k = incoming.start[i]; k < incoming.start[i + 1]; k++) {
      const e = incoming.list[k];
      fn(esrc[e], e, "in");
    }
  }

  // ------------------------------------------------------------------------------------
  // State
  // ------------------------------------------------------------------------------------

  const state = {
    layout: "force",
    sizeBy: "count",
    visible: new Uint8Array(N).fill(1),
    relOn: new Uint8Array(relations.length).fill(1),
    selected: new Set(),
    focus: -1, // the node whose details the panel shows
    highlight: null, // Uint8Array of the focus's neighbourhood, or null
    physics: false,
    insight: null, // the finding whose evidence is lit ({kind, index}; insights.js), or null
    pinned: new Set(), // its evidence: shown whatever the filters
  };

  // ------------------------------------------------------------------------------------
  // DOM
  // ------------------------------------------------------------------------------------

  const $ = (id) => document.getElementById(id);
  const container = $("kg-network");
  const mount = $("kg-view");
  const tooltip = $("kg-tooltip");
  const panel = $("kg-panel");
  const panelBody = $("kg-panel-body");
  const search = $("kg-search");
  const results = $("kg-results");
  const shownText = $("kg-shown");
  const exportText = $("kg-export-what");
  const physicsBox = $("kg-physics");

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function httpHref(href) {
    let url;
    try {
      url = new URL(href);
    } catch (err) {
      return null;
    }
    return PROTOCOLS[url.protocol] === true ? url.href : null;
  }

  const number = new Intl.NumberFormat("en-US");
  const fmt = (n) => number.format(n);

  // ------------------------------------------------------------------------------------
  // The engine
  // ------------------------------------------------------------------------------------

  const model = {
    N: N,
    E: E,
    labels: labels,
    styles: styles,
    styleOf: styleOf,
    groupOf: groupOf,
    listed: listed,
    relations: relations,
    esrc: esrc,
    edst: edst,
    erel: erel,
    radius: radius,
    x: layouts.force[0], // where the nodes start
    y: layouts.force[1],
    state: state,
    forEachNeighbour: forEachNeighbour,
    vis: data.vis, // vis-network's nodes, edges and options (the vis engine only)
  };

  const hooks = {
    click: (i, additive) => {
      if (i >= 0) {
        if (additive) toggleSelected(i);
        else selectOnly(i, false);
      } else if (!additive) {
        clearSelection();
      }
    },
    hover: showTooltip,
    moved: (i, x, y) => {
      // A dragged node stays where it was put, in the layout shown.
      layouts[state.layout][0][i] = x;
      layouts[state.layout][1][i] = y;
    },
    underlay: drawAxis,
    overlay: (ctx, view) => drawCommunityLabels(ctx, view),
  };

  const engine = window.kgEngines[data.engine](mount, model, hooks);

  function showTooltip(i, point) {
    if (i < 0) {
      tooltip.hidden = true;
      return;
    }
    tooltip.replaceChildren(el("strong", labels[i]), el("span", metaText(i, false)));
    tooltip.hidden = false;
    const rect = container.getBoundingClientRect();
    const x = Math.min(point.x + 14, rect.width - tooltip.offsetWidth - 4);
    const y = Math.min(point.y + 14, rect.height - tooltip.offsetHeight - 4);
    tooltip.style.left = Math.max(4, x) + "px";
    tooltip.style.top = Math.max(4, y) + "px";
  }

  // The timeline's years, under the graph: lines and labels stay the same size at any zoom.
  function drawAxis(ctx, view) {
    const axis = data.timeline;
    if (state.layout !== "timeline" || axis.first === null) return;
    const span = view.scale * axis.width;
    let step = 1;
    while (span * step < 56) step *= step === 1 ? 2 : step === 2 ? 2.5 : 2;
    ctx.save();
    ctx.font = "12px system-ui, sans-serif";
    ctx.textAlign = "center";
    ctx.textBaseline = "alphabetic";
    ctx.lineWidth = 1;
    for (let y = axis.first; y <= axis.last + 1; y++) {
      if ((y - axis.first) % step !== 0) continue;
      const x = (axis.origin + (y - axis.first) * axis.width) * view.scale + view.ox;
      if (x < -50 || x > view.width + 50) continue;
      ctx.strokeStyle = "#eeeeee";
      ctx.beginPath();
      ctx.moveTo(x, 0);
      ctx.lineTo(x, view.height);
      ctx.stroke();
      if (y <= axis.last) {
        ctx.fillStyle = "#777777";
        ctx.fillText(String(y), x + (span * step) / 2, 16);
      }
    }
    const ux = axis.undated * view.scale + view.ox;
    if (ux > -50 && ux < view.width + 50) {
      ctx.fillStyle = "#999999";
      ctx.fillText("no year", ux, 16);
    }
    ctx.restore();
  }

  // ------------------------------------------------------------------------------------
  // Camera: the box around what is shown
  // ------------------------------------------------------------------------------------

  function fit(onlyVisible) {
    const [xs, ys] = engine.positions();
    fitTo(xs, ys, onlyVisible);
  }

  function fitTo(xs, ys, onlyVisible) {
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (let i = 0; i < N; i++) {
      if (onlyVisible && !state.visible[i]) continue;
      const r = radius[i];
      x0 = Math.min(x0, xs[i] - r);
      y0 = Math.min(y0, ys[i] - r);
      x1 = Math.max(x1, xs[i] + r);
      y1 = Math.max(y1, ys[i] + r);
    }
    if (!isFinite(x0)) {
      x0 = -100; y0 = -100; x1 = 100; y1 = 100;
    }
    engine.fitBox(x0, y0, x1, y1, state.layout === "timeline" ? 20 : 0);
  }

  // ------------------------------------------------------------------------------------
  // Filters (facets)
  // ------------------------------------------------------------------------------------

  const filters = {
    styles: new Uint8Array(styles.length).fill(1),
    listed: true,
    fetched: true,
    topic: -1,
    from: null,
    to: null,
    undated: true,
  };

  function topicClosure(root) {
    // The topic and every narrower topic (skos:broader points up, so walk it backwards).
    const inside = new Uint8Array(N);
    const broader = relIndex.get("broader");
    const stack = [root];
    inside[root] = 1;
    while (stack.length) {
      const t = stack.pop();
      for (let k = incoming.start[t]; k < incoming.start[t + 1]; k++) {
        const e = incoming.list[k];
        if (erel[e] === broader && !inside[esrc[e]]) {
          inside[esrc[e]] = 1;
          stack.push(esrc[e]);
        }
      }
    }
    return inside;
  }

  function applyFilters() {
    const vis = state.visible;
    const inTopic = filters.topic >= 0 ? topicClosure(filters.topic) : null;
    let onTopic = null;
    if (inTopic) {
      // Works about the topic (or a narrower one), and the parts of such works.
      onTopic = new Uint8Array(N);
      const subject = relIndex.get("subject");
      const partOf = relIndex.get("part_of");
      for (let e = 0; e < E; e++) {
        if (erel[e] === subject && inTopic[edst[e]]) onTopic[esrc[e]] = 1;
      }
      for (let e = 0; e < E; e++) {
        if (erel[e] === partOf && onTopic[edst[e]]) onTopic[esrc[e]] = 1;
      }
    }
    for (let i = 0; i < N; i++) {
      const group = groupOf[i];
      let ok = filters.styles[styleOf[i]] === 1;
      if (ok && group === "work") {
        ok = listed[i] ? filters.listed : filters.fetched;
        if (ok && year[i] === 0) ok = filters.undated;
        else if (ok && filters.from !== null && year[i] < filters.from) ok = false;
        else if (ok && filters.to !== null && year[i] > filters.to) ok = false;
        if (ok && onTopic) ok = onTopic[i] === 1;
      } else if (ok && group === "topic" && inTopic) {
        ok = inTopic[i] === 1;
      }
      vis[i] = ok ? 1 : 0;
    }
    // People stand with their works: shown when at least one of their works is.
    for (let i = 0; i < N; i++) {
      if (groupOf[i] !== "person" || !vis[i]) continue;
      let works = 0;
      let shown = 0;
      for (let k = incoming.start[i]; k < incoming.start[i + 1]; k++) {
        const other = esrc[incoming.list[k]];
        if (groupOf[other] === "work") {
          works++;
          if (vis[other]) shown++;
        }
      }
      if (works && !shown) vis[i] = 0;
    }
    for (const i of state.selected) vis[i] = 1; // what the user picked stays in view
    for (const i of state.pinned) vis[i] = 1;
    if (state.focus >= 0) vis[state.focus] = 1;
    updateCounts();
    engine.setVisible();
  }

  function visibleEdgeCount() {
    let n = 0;
    for (let e = 0; e < E; e++) {
      if (state.relOn[erel[e]] && state.visible[esrc[e]] && state.visible[edst[e]]) n++;
    }
    return n;
  }

  function visibleNodeCount() {
    let n = 0;
    for (let i = 0; i < N; i++) n += state.visible[i];
    return n;
  }

  function updateCounts() {
    shownText.textContent =
      "Showing " + fmt(visibleNodeCount()) + " of " + fmt(N) + " nodes, " +
      fmt(visibleEdgeCount()) + " of " + fmt(E) + " edges";
    const works = exportSet();
    exportText.textContent =
      (state.selected.size ? fmt(works.length) + " selected" : fmt(works.length) + " shown") +
      (works.length === 1 ? " work" : " works");
    physicsBox.disabled = state.layout !== "force" || visibleNodeCount() > engine.physicsMax;
    physicsBox.parentElement.title = physicsBox.disabled
      ? "Physics runs on the force layout of at most " + fmt(engine.physicsMax) + " shown nodes"
      : "";
    if (physicsBox.disabled && state.physics) setPhysics(false);
  }

  function readYear(input) {
    const value = parseInt(input.value, 10);
    return Number.isFinite(value) ? value : null;
  }

  document.querySelectorAll("input[data-style]").forEach((box) => {
    box.addEventListener("change", () => {
      filters.styles[Number(box.dataset.style)] = box.checked ? 1 : 0;
      applyFilters();
    });
  });
  document.querySelectorAll("input[data-relation]").forEach((box) => {
    box.addEventListener("change", () => {
      state.relOn[Number(box.dataset.relation)] = box.checked ? 1 : 0;
      updateCounts();
      engine.setVisible();
    });
  });
  const listedBox = $("kg-f-listed");
  const fetchedBox = $("kg-f-fetched");
  const topicSelect = $("kg-f-topic");
  const fromInput = $("kg-f-from");
  const toInput = $("kg-f-to");
  const undatedBox = $("kg-f-undated");
  listedBox.addEventListener("change", () => { filters.listed = listedBox.checked; applyFilters(); });
  fetchedBox.addEventListener("change", () => { filters.fetched = fetchedBox.checked; applyFilters(); });
  topicSelect.addEventListener("change", () => {
    filters.topic = topicSelect.value === "" ? -1 : Number(topicSelect.value);
    applyFilters();
  });
  // A long list of topics: typing narrows the choice to the topics whose label holds the
  // text, each with its broader topics (the tree stays readable); Enter chooses the first.
  const topicFind = $("kg-f-topic-find");
  const topicOptions = Array.from(topicSelect.options).slice(1);
  const topicText = topicOptions.map((o) => o.textContent.trim().toLowerCase());
  // Depth in the tree: the template indents a narrower topic by two no-break spaces a level.
  const topicDepth = topicOptions.map((o) => o.textContent.match(/^\u00a0*/)[0].length / 2);
  let firstTopicFound = null;
  function narrowTopics() {
    const q = topicFind.value.trim().toLowerCase();
    const ancestors = [];
    firstTopicFound = null;
    topicOptions.forEach((option, k) => {
      const depth = topicDepth[k];
      ancestors.length = depth;
      const found = !q || topicText[k].includes(q);
      option.hidden = !found;
      if (found) {
        ancestors.forEach((a) => { a.hidden = false; });
        if (q && firstTopicFound === null) firstTopicFound = option;
      }
      ancestors.push(option);
    });
  }
  if (topicFind) {
    topicFind.addEventListener("input", narrowTopics);
    topicFind.addEventListener("keydown", (event) => {
      if (event.key !== "Enter" || firstTopicFound === null) return;
      event.preventDefault();
      topicSelect.value = firstTopicFound.value;
      topicSelect.dispatchEvent(new Event("change"));
    });
  }
  const onYears = () => {
    filters.from = readYear(fromInput);
    filters.to = readYear(toInput);
    applyFilters();
  };
  fromInput.addEventListener("change", onYears);
  toInput.addEventListener("change", onYears);
  fromInput.addEventListener("input", onYears);
  toInput.addEventListener("input", onYears);
  undatedBox.addEventListener("change", () => { filters.undated = undatedBox.checked; applyFilters(); });

  $("kg-reset").addEventListener("click", () => {
    document.querySelectorAll("input[data-style], input[data-relation]").forEach((box) => {
      box.checked = true;
    });
    filters.styles.fill(1);
    state.relOn.fill(1);
    listedBox.checked = fetchedBox.checked = undatedBox.checked = true;
    filters.listed = filters.fetched = filters.undated = true;
    topicSelect.value = "";
    filters.topic = -1;
    if (topicFind) {
      topicFind.value = "";
      narrowTopics();
    }
    fromInput.value = fromInput.defaultValue;
    toInput.value = toInput.defaultValue;
    filters.from = readYear(fromInput);
    filters.to = readYear(toInput);
    applyFilters();
  });

  document.querySelectorAll("input[name='kg-size']").forEach((radio) => {
    radio.addEventListener("change", () => {
      if (!radio.checked) return;
      state.sizeBy = radio.value;
      radius.set(radii[radio.value]);
      engine.setSizes();
    });
  });

  // ------------------------------------------------------------------------------------
  // Search
  // ------------------------------------------------------------------------------------

  let lowered = null;

  function findNodes(query) {
    const q = query.trim().toLowerCase();
    if (!q) return [];
    if (!lowered) lowered = labels.map((text) => text.toLowerCase());
    const found = [];
    for (let i = 0; i < N; i++) {
      const at = lowered[i].indexOf(q);
      if (at < 0) continue;
      const wordStart = at === 0 ? 0 : /[\s\-–—(:,.]/.test(lowered[i][at - 1]) ? 1 : 2;
      found.push([wordStart, state.visible[i] ? 0 : 1, -listed[i], -radius[i], i]);
    }
    found.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2] || a[3] - b[3] || a[4] - b[4]);
    return found.slice(0, MAX_RESULTS).map((f) => f[4]);
  }

  function showResults() {
    const found = findNodes(search.value);
    results.replaceChildren();
    found.forEach((i) => {
      const item = el("li");
      const button = el("button");
      button.type = "button";
      button.dataset.node = String(i);
      button.appendChild(el("span", labels[i], "kg-result-label"));
      button.appendChild(el("span", metaText(i, true), "kg-result-meta"));
      button.addEventListener("click", () => {
        results.hidden = true;
        selectOnly(i, true);
      });
      item.appendChild(button);
      results.appendChild(item);
    });
    results.hidden = found.length === 0;
    return found;
  }

  search.addEventListener("input", showResults);
  search.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      const found = showResults();
      if (found.length) selectOnly(found[0], true);
      results.hidden = true;
    } else if (event.key === "Escape") {
      results.hidden = true;
    }
  });
  document.addEventListener("keydown", (event) => {
    if (event.target instanceof HTMLInputElement || event.target instanceof HTMLSelectElement) return;
    if (event.key === "/") {
      event.preventDefault();
      search.focus();
    } else if (event.key === "Escape") {
      clearSelection();
    }
  });

  // ------------------------------------------------------------------------------------
  // Selection, neighbourhood highlight, details panel
  // ------------------------------------------------------------------------------------

  function groupName(i) {
    const group = groupOf[i];
    return group === "person" ? "Person" : group === "topic" ? "Topic" : styles[styleOf[i]].label;
  }

  function metaText(i, short) {
    const d = details[i];
    const parts = [groupName(i)];
    if (groupOf[i] === "work") {
      parts.push(listed[i] ? "on the list" + (d.number && !short ? " (#" + d.number + ")" : "") : "fetched");
      if (year[i]) parts.push(String(year[i]));
      if (!short && d.venue) parts.push(d.venue);
      if (!short && count[i]) parts.push(fmt(count[i]) + (count[i] === 1 ? " citation" : " citations"));
    } else if (count[i]) {
      parts.push(fmt(count[i]) + (count[i] === 1 ? " work" : " works"));
    }
    if (short && !state.visible[i]) parts.push("hidden by filters");
    return parts.join(" · ");
  }

  function setHighlight() {
    const f = state.focus;
    let hl = null;
    state.insight = null;
    state.pinned.clear();
    if (f >= 0) {
      hl = new Uint8Array(N);
      hl[f] = 1;
      forEachNeighbour(f, (other, e) => {
        if (state.relOn[erel[e]]) hl[other] = 1;
      });
    }
    state.highlight = hl;
    engine.setHighlight();
    markActiveInsight();
  }

  function selectOnly(i, focus) {
    state.selected = new Set([i]);
    showNode(i);
    engine.select();
    if (focus) engine.focus(i, 0.8);
  }

  function toggleSelected(i) {
    if (state.selected.has(i)) {
      state.selected.delete(i);
      if (state.focus === i) hidePanel();
    } else {
      state.selected.add(i);
      showNode(i);
    }
    applyFilters();
    engine.select();
  }

  function clearSelection() {
    state.selected = new Set();
    hidePanel();
    applyFilters();
    engine.select();
  }

  function labelButton(i) {
    const button = el("button", labels[i]);
    button.type = "button";
    button.dataset.node = String(i);
    button.addEventListener("click", () => selectOnly(i, true));
    return button;
  }

  function linkAnchor(text, href) {
    const safe = httpHref(href);
    if (!safe) return el("span", text);
    const a = el("a", text);
    a.href = safe;
    a.rel = "noopener noreferrer";
    a.target = "_blank";
    a.title = safe;
    return a;
  }

  function linkList(links) {
    const list = el("ul", null, "kg-links");
    links.forEach((pair) => {
      const item = el("li");
      item.appendChild(linkAnchor(pair[0], pair[1]));
      list.appendChild(item);
    });
    return list;
  }

  // Neighbours grouped by relation and direction ("Authors", "Cites", "Cited by"…), in
  // the order of data.relations; authors keep byline order, the rest go biggest first.
  function neighbourSections(i) {
    const sections = relations.map((rel) => [
      { title: rel.out, rel: rel.key, side: "out", nodes: [] },
      { title: rel["in"], rel: rel.key, side: "in", nodes: [] },
    ]);
    forEachNeighbour(i, (other, e, side) => {
      sections[erel[e]][side === "out" ? 0 : 1].nodes.push(other);
    });
    const flat = [];
    sections.forEach((pair) => pair.forEach((s) => { if (s.nodes.length) flat.push(s); }));
    flat.forEach((s) => {
      if (s.rel !== "creator" && s.rel !== "contributor") {
        s.nodes.sort((a, b) => radius[b] - radius[a] || labels[a].localeCompare(labels[b]));
      }
    });
    return flat;
  }

  function sectionList(section, etAl) {
    const list = el("ul", null, "kg-neighbours");
    section.nodes.slice(0, MAX_NEIGHBOURS).forEach((other) => {
      const item = el("li");
      item.appendChild(labelButton(other));
      const links = details[other].links;
      if (links && links.length) {
        const a = linkAnchor("↗", links[0][1]);
        a.className = "kg-out";
        a.setAttribute("aria-label", "Open " + links[0][0]);
        item.appendChild(a);
      }
      list.appendChild(item);
    });
    if (section.nodes.length > MAX_NEIGHBOURS) {
      list.appendChild(el("li", "… and " + fmt(section.nodes.length - MAX_NEIGHBOURS) + " more", "kg-more"));
    }
    // The list's byline said "et al." and no source gave the whole one.
    if (etAl) list.appendChild(el("li", "et al. (the list names only some of the authors)", "kg-more kg-et-al"));
    return list;
  }

  function appendSection(fragment, section, etAl) {
    fragment.appendChild(el("h3", section.title + " (" + fmt(section.nodes.length) + ")"));
    fragment.appendChild(sectionList(section, etAl));
  }

  function showNode(i) {
    const d = details[i];
    if (!d) return false;
    const sections = neighbourSections(i);
    const isByline = (s) => s.side === "out" && s.rel === "creator";
    const fragment = document.createDocumentFragment();
    fragment.appendChild(el("h2", labels[i], "kg-title"));
    fragment.appendChild(el("p", metaText(i, false), "kg-meta"));
    if (groupOf[i] === "work" && rank[i]) {
      fragment.appendChild(el("p", "PageRank " + rank[i].toFixed(2) + " × average", "kg-rank"));
    }
    sections.filter(isByline).forEach((s) => appendSection(fragment, s, d.etAl));
    if (d.note) {
      const note = el("p", d.note, "kg-note");
      if (d.noteLang) note.lang = d.noteLang;
      fragment.appendChild(note);
    }
    if (d.tldr) fragment.appendChild(el("p", "TL;DR: " + d.tldr, "kg-tldr"));
    appendWhy(fragment, i); // insights.js: why an insight names it
    if (d.links && d.links.length) {
      fragment.appendChild(el("h3", "Links"));
      fragment.appendChild(linkList(d.links));
    }
    fragment.appendChild(el("p", d.iri, "kg-iri"));
    sections.filter((s) => !isByline(s)).forEach((s) => appendSection(fragment, s));
    panelBody.replaceChildren(fragment);
    if (panel.hidden) {
      panel.hidden = false;
      engine.resize(); // the panel took its width from the map: measure now, not a frame later
    }
    panel.dataset.node = String(i);
    panelBody.scrollTop = 0;
    state.focus = i;
    setHighlight();
    applyFilters();
    return true;
  }

  function hidePanel() {
    if (!panel.hidden) {
      panel.hidden = true;
      engine.resize();
    }
    delete panel.dataset.node;
    state.focus = -1;
    setHighlight();
  }

  $("kg-panel-close").addEventListener("click", () => {
    hidePanel();
    applyFilters();
  });
  $("kg-fit").addEventListener("click", () => fit(true));

  // ------------------------------------------------------------------------------------
  // Layouts and physics
  // ------------------------------------------------------------------------------------

  let animation = null;
  let settledWaiters = [];

  // Resolves once the layout shown has finished moving (at once when nothing moves).
  function settled() {
    return new Promise((resolve) => {
      if (animation === null) resolve();
      else settledWaiters.push(resolve);
    });
  }

  function setLayout(name) {
    if (!layouts[name] || name === state.layout) return;
    setPhysics(false);
    state.layout = name;
    const [tx, ty] = layouts[name];
    const [fromX, fromY] = engine.positions();
    const x = new Float64Array(N);
    const y = new Float64Array(N);
    const started = performance.now();
    const duration = N > 20000 ? 0 : 450;
    if (animation) cancelAnimationFrame(animation);
    const step = (now) => {
      const t = duration ? Math.min(1, (now - started) / duration) : 1;
      const k = t * t * (3 - 2 * t);
      for (let i = 0; i < N; i++) {
        x[i] = fromX[i] + (tx[i] - fromX[i]) * k;
        y[i] = fromY[i] + (ty[i] - fromY[i]) * k;
      }
      engine.setPositions(t < 1 ? x : tx, t < 1 ? y : ty); // drawn at the next frame
      animation = t < 1 ? requestAnimationFrame(step) : null;
      if (animation === null) settledWaiters.splice(0).forEach((resolve) => resolve());
    };
    fitTo(tx, ty, true);
    animation = requestAnimationFrame(step);
    document.querySelectorAll("input[name='kg-layout']").forEach((radio) => {
      radio.checked = radio.value === name;
    });
    updateCounts();
  }

  document.querySelectorAll("input[name='kg-layout']").forEach((radio) => {
    radio.addEventListener("change", () => {
      if (radio.checked) setLayout(radio.value);
    });
  });

  function setPhysics(on) {
    if (on === state.physics) return;
    state.physics = on;
    physicsBox.checked = on;
    engine.setPhysics(on);
    if (!on) {
      // What the simulation did stays, in the layout it ran on.
      const [xs, ys] = engine.positions();
      layouts[state.layout][0].set(xs);
      layouts[state.layout][1].set(ys);
    }
  }

  physicsBox.addEventListener("change", () => setPhysics(physicsBox.checked));

  // ------------------------------------------------------------------------------------
  // Export: the selection (or what is shown) as CSV or BibTeX, the view as PNG
  // ------------------------------------------------------------------------------------

  function exportSet() {
    const works = [];
    if (state.selected.size) {
      for (const i of Array.from(state.selected).sort((a, b) => a - b)) {
        if (groupOf[i] === "work") works.push(i);
      }
      return works;
    }
    for (let i = 0; i < N; i++) if (groupOf[i] === "work" && state.visible[i]) works.push(i);
    return works;
  }

  function related(i, relKey, side) {
    const r = relIndex.get(relKey);
    const found = [];
    if (r === undefined) return found;
    const rows = side === "out" ? outgoing : incoming;
    for (let k = rows.start[i]; k < rows.start[i + 1]; k++) {
      const e = rows.list[k];
      if (erel[e] === r) found.push(side === "out" ? edst[e] : esrc[e]);
    }
    return found;
  }

  function csvCell(value) {
    let text = value === null || value === undefined ? "" : String(value);
    // A cell starting with = + - @ is a formula to spreadsheet programs: keep it text.
    if (/^[=+\-@\t\r]/.test(text)) text = "'" + text;
    return '"' + text.replace(/"/g, '""') + '"';
  }

  function toCsv(works) {
    const header = ["iri", "title", "kind", "on_list", "year", "venue", "authors", "topics",
      "citations", "pagerank", "doi", "arxiv", "url"];
    const rows = [header.map(csvCell).join(",")];
    for (const i of works) {
      const d = details[i];
      rows.push([
        d.iri, labels[i], d.kind || "", listed[i] ? "yes" : "no", year[i] || "", d.venue || "",
        related(i, "creator", "out").map((p) => labels[p]).join("; "),
        related(i, "subject", "out").map((t) => labels[t]).join("; "),
        count[i], rank[i], d.doi || "", d.arxiv || "", d.links && d.links.length ? d.links[0][1] : "",
      ].map(csvCell).join(","));
    }
    return rows.join("\r\n") + "\r\n";
  }

  // A work's BibTeX entry is made in Python (payload.py, _bib) by the mapping
  // `kg export --format bibtex` uses, with keys unique in the whole graph: its shape
  // (data.bibtex) with a hole for the key and each value, and its values, some of them
  // stand-ins for what the page shows already (its label, its first link, its authors'
  // labels in byline order). The page only fills the holes and joins the entries.
  function bibValue(i, value) {
    return value
      .replace("\x01", () => labels[i])
      .replace("\x02", () => details[i].links[0][1])
      .replace("\x03", () => related(i, "creator", "out").map((p) => labels[p]).join(" and "));
  }

  function bibtexOf(i) {
    const bib = details[i].bib;
    if (!bib) return null;
    const parts = data.bibtex[bib[0]].split("\x00");
    let text = parts[0];
    for (let k = 1; k < parts.length; k++) text += bibValue(i, bib[k]) + parts[k];
    return text;
  }

  function toBibtex(works) {
    const entries = [];
    for (const i of works) {
      const entry = bibtexOf(i);
      if (entry) entries.push(entry);
    }
    return entries.join("\n");
  }

  function download(name, blob) {
    const url = URL.createObjectURL(blob);
    const a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  function exportAs(format) {
    if (format === "png") {
      engine.toPNG((blob) => { if (blob) download("kg-map.png", blob); });
      return null;
    }
    const works = exportSet();
    const text = format === "csv" ? toCsv(works) : toBibtex(works);
    const type = format === "csv" ? "text/csv;charset=utf-8" : "application/x-bibtex;charset=utf-8";
    download(format === "csv" ? "kg-works.csv" : "kg-works.bib", new Blob([text], { type: type }));
    return text;
  }

  document.querySelectorAll("button[data-export]").forEach((button) => {
    button.addEventListener("click", () => exportAs(button.dataset.export));
  });
