/*
 * kg map page: the interface (facets, search, details panel, layouts, export) over one of
 * two drawing engines, chosen by kg/map/reduce.py: "vis" (vis-network, its data built with pyvis;
 * templates/vis.js) for graphs of up to 2,000 nodes and 10,000 edges, "canvas"
 * (templates/canvas.js) for larger ones. Every piece of DOM is built from the JSON payload with
 * createElement/textContent, never innerHTML: titles, notes and addresses come from the web
 * and must stay text. Only http(s) addresses become links, checked again here although
 * kg/map already filtered them.
 *
 * The interface is split by concern into files that kg/map/page.py puts together, in
 * this order, as the body of one strict function: this file (the core: data, state, DOM, the
 * engine, the camera), filters.js (facets and search), details.js (selection and the details
 * panel), layouts.js (layouts and physics), export.js (CSV, BibTeX, PNG), insights.js (the
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
 * Sections of this file: data, state, DOM, engine, camera.
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
  // Text as search compares it: lower case, accents dropped ("Schölkopf" is found by
  // "scholkopf", "Veličković" by "velickovic"); scripts without accents are unchanged.
  const fold = (text) => text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();

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
