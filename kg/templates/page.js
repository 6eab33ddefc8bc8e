/*
 * kg map page: draws the graph on a canvas and builds every other piece of DOM from the
 * JSON payload with createElement/textContent, never innerHTML: titles, notes and
 * addresses come from the web and must stay text. Only http(s) addresses become links,
 * checked again here although kg.render already filtered them.
 *
 * Sections: data, view (canvas drawing), picking and pointer input, filters, search,
 * details panel, layouts and physics, export, the window.kg API.
 */
(function () {
  "use strict";

  const MAX_NEIGHBOURS = 60; // per panel section: a hub cited by thousands would freeze it
  const MAX_RESULTS = 20;
  const MAX_LABELS = 250; // labels per frame; more is clutter, and slow
  const PHYSICS_MAX = 1500; // physics is O(n²) per step: small graphs only
  const PROTOCOLS = { "http:": true, "https:": true };
  const LIST_RING = "#1b1b1b";

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
  const px = Float64Array.from(cols.x); // where nodes are drawn now
  const py = Float64Array.from(cols.y);
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
  const edgesByRel = relations.map(() => []);
  for (let e = 0; e < E; e++) edgesByRel[erel[e]].push(e);
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
    hover: -1,
    highlight: null, // Uint8Array of the focus's neighbourhood, or null
    physics: false,
  };
  const radius = new Float64Array(N);
  let labelOrder = [];

  // ------------------------------------------------------------------------------------
  // DOM
  // ------------------------------------------------------------------------------------

  const $ = (id) => document.getElementById(id);
  const container = $("kg-network");
  const canvas = $("kg-canvas");
  const ctx = canvas.getContext("2d");
  const tooltip = $("kg-tooltip");
  const panel = $("kg-panel");
  const panelBody = $("kg-panel-body");
  const search = $("kg-search");
  const results = $("kg-results");
  const shownText = $("kg-shown");
  const exportText = $("kg-export-what");

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
  // Sizes
  // ------------------------------------------------------------------------------------

  function computeRadii() {
    for (let i = 0; i < N; i++) {
      const group = groupOf[i];
      let r;
      if (group === "person") r = 3 + 1.6 * Math.sqrt(count[i]);
      else if (group === "topic") r = 6 + 2 * Math.sqrt(count[i]);
      else if (state.sizeBy === "rank") r = 4 + 5 * Math.sqrt(rank[i]);
      else r = 4 + 2.6 * Math.log2(1 + count[i]);
      if (listed[i]) r += 3;
      radius[i] = Math.min(r, 48);
    }
    // Labels go to the list's resources and topics first (the biggest first), then to
    // the other nodes by size.
    const structural = (i) => (listed[i] || groupOf[i] === "topic" ? 1 : 0);
    labelOrder = Array.from({ length: N }, (_, i) => i).sort(
      (a, b) => structural(b) - structural(a) || radius[b] - radius[a] || a - b
    );
  }

  // ------------------------------------------------------------------------------------
  // View: world (layout pixels) -> screen: s = w * scale + offset
  // ------------------------------------------------------------------------------------

  const view = { scale: 1, ox: 0, oy: 0, width: 1, height: 1, dpr: 1 };
  let frameRequested = false;
  const sx = new Float32Array(N);
  const sy = new Float32Array(N);
  const sr = new Float32Array(N);

  function resize() {
    const rect = container.getBoundingClientRect();
    const dpr = window.devicePixelRatio || 1;
    const width = Math.max(1, Math.round(rect.width));
    const height = Math.max(1, Math.round(rect.height));
    // Keep the world point at the centre where it was.
    const cx = (view.width / 2 - view.ox) / view.scale;
    const cy = (view.height / 2 - view.oy) / view.scale;
    view.width = width;
    view.height = height;
    view.dpr = dpr;
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    canvas.style.width = width + "px";
    canvas.style.height = height + "px";
    view.ox = width / 2 - cx * view.scale;
    view.oy = height / 2 - cy * view.scale;
  }

  function requestDraw() {
    if (!frameRequested) {
      frameRequested = true;
      requestAnimationFrame(draw);
    }
  }

  function draw() {
    frameRequested = false;
    const w = view.width;
    const h = view.height;
    ctx.setTransform(view.dpr, 0, 0, view.dpr, 0, 0);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, w, h);
    const grow = nodeScale();
    for (let i = 0; i < N; i++) {
      sx[i] = px[i] * view.scale + view.ox;
      sy[i] = py[i] * view.scale + view.oy;
      sr[i] = Math.max(1.5, radius[i] * grow);
    }
    if (state.layout === "timeline") drawAxis(w, h);
    drawEdges(w, h);
    drawNodes(w, h);
    drawLabels(w, h);
  }

  // Nodes shrink slower than distances when zooming out, so a whole field stays legible.
  function nodeScale() {
    return Math.pow(view.scale, 0.6);
  }

  function onScreen(i, w, h) {
    const r = sr[i];
    return sx[i] + r >= 0 && sx[i] - r <= w && sy[i] + r >= 0 && sy[i] - r <= h;
  }

  function drawAxis(w, h) {
    const axis = data.timeline;
    if (axis.first === null) return;
    const span = view.scale * axis.width;
    let step = 1;
    while (span * step < 56) step *= step === 1 ? 2 : step === 2 ? 2.5 : 2;
    ctx.save();
    ctx.font = "12px system-ui, sans-serif";
    ctx.textAlign = "center";
    ctx.lineWidth = 1;
    for (let y = axis.first; y <= axis.last + 1; y++) {
      if ((y - axis.first) % step !== 0) continue;
      const x = (axis.origin + (y - axis.first) * axis.width) * view.scale + view.ox;
      if (x < -50 || x > w + 50) continue;
      ctx.strokeStyle = "#eeeeee";
      ctx.beginPath();
      ctx.moveTo(x, 0);
      ctx.lineTo(x, h);
      ctx.stroke();
      if (y <= axis.last) {
        ctx.fillStyle = "#777777";
        ctx.fillText(String(y), x + (span * step) / 2, 16);
      }
    }
    const ux = axis.undated * view.scale + view.ox;
    if (ux > -50 && ux < w + 50) {
      ctx.fillStyle = "#999999";
      ctx.fillText("no year", ux, 16);
    }
    ctx.restore();
  }

  function drawEdges(w, h) {
    const hl = state.highlight;
    const vis = state.visible;
    for (let r = 0; r < relations.length; r++) {
      if (!state.relOn[r]) continue;
      const rel = relations[r];
      const list = edgesByRel[r];
      let drawn = 0;
      ctx.beginPath();
      for (let k = 0; k < list.length; k++) {
        const e = list[k];
        const a = esrc[e];
        const b = edst[e];
        if (!vis[a] || !vis[b]) continue;
        if (hl && hl[a] && hl[b] && (a === state.focus || b === state.focus)) continue;
        const ax = sx[a], ay = sy[a], bx = sx[b], by = sy[b];
        if ((ax < 0 && bx < 0) || (ax > w && bx > w) || (ay < 0 && by < 0) || (ay > h && by > h)) continue;
        ctx.moveTo(ax, ay);
        ctx.lineTo(bx, by);
        drawn++;
      }
      if (!drawn) continue;
      ctx.strokeStyle = rel.colour;
      // Many edges as a haze, few as lines; dimmed while a neighbourhood is highlighted.
      ctx.globalAlpha = (drawn > 20000 ? 0.22 : drawn > 2000 ? 0.4 : 0.75) * (hl ? 0.3 : 1);
      ctx.lineWidth = drawn > 20000 ? 0.5 : 1;
      ctx.setLineDash(rel.dashes && drawn < 5000 ? [4, 3] : []);
      ctx.stroke();
      if (rel.arrow && drawn < 3000 && !hl) drawArrows(list, w, h);
    }
    ctx.globalAlpha = 1;
    ctx.setLineDash([]);
    if (hl) drawFocusEdges();
  }

  function drawArrows(list, w, h) {
    const vis = state.visible;
    ctx.beginPath();
    for (let k = 0; k < list.length; k++) {
      const e = list[k];
      const a = esrc[e];
      const b = edst[e];
      if (!vis[a] || !vis[b] || !onScreen(b, w, h)) continue;
      arrowHead(a, b);
    }
    ctx.fillStyle = ctx.strokeStyle;
    ctx.fill();
  }

  function arrowHead(a, b) {
    const dx = sx[b] - sx[a];
    const dy = sy[b] - sy[a];
    const len = Math.hypot(dx, dy);
    if (len < sr[b] + 8) return;
    const ux = dx / len, uy = dy / len;
    const tipX = sx[b] - ux * (sr[b] + 1), tipY = sy[b] - uy * (sr[b] + 1);
    const size = 6;
    ctx.moveTo(tipX, tipY);
    ctx.lineTo(tipX - ux * size - uy * size * 0.5, tipY - uy * size + ux * size * 0.5);
    ctx.lineTo(tipX - ux * size + uy * size * 0.5, tipY - uy * size - ux * size * 0.5);
    ctx.closePath();
  }

  function drawFocusEdges() {
    const f = state.focus;
    ctx.lineWidth = 1.6;
    forEachNeighbour(f, (other, e) => {
      const r = erel[e];
      if (!state.relOn[r] || !state.visible[other]) return;
      ctx.strokeStyle = relations[r].colour === "#8d8d8d" ? "#555555" : relations[r].colour;
      ctx.beginPath();
      ctx.moveTo(sx[esrc[e]], sy[esrc[e]]);
      ctx.lineTo(sx[edst[e]], sy[edst[e]]);
      ctx.stroke();
      if (relations[r].arrow) {
        ctx.beginPath();
        arrowHead(esrc[e], edst[e]);
        ctx.fillStyle = ctx.strokeStyle;
        ctx.fill();
      }
    });
  }

  function shapePath(i) {
    const x = sx[i], y = sy[i], r = sr[i];
    const group = groupOf[i];
    if (group === "person") {
      ctx.moveTo(x, y - r);
      ctx.lineTo(x + r, y);
      ctx.lineTo(x, y + r);
      ctx.lineTo(x - r, y);
      ctx.closePath();
    } else if (group === "topic") {
      ctx.rect(x - r * 0.9, y - r * 0.9, r * 1.8, r * 1.8);
    } else {
      ctx.moveTo(x + r, y);
      ctx.arc(x, y, r, 0, 2 * Math.PI);
    }
  }

  const nodesByStyle = styles.map(() => []);
  for (let i = 0; i < N; i++) nodesByStyle[styleOf[i]].push(i);

  function drawNodes(w, h) {
    const hl = state.highlight;
    const passes = hl ? [0, 1] : [1];
    for (const pass of passes) {
      ctx.globalAlpha = hl && pass === 0 ? 0.25 : 1;
      for (let s = 0; s < styles.length; s++) {
        const list = nodesByStyle[s];
        ctx.beginPath();
        let any = false;
        for (let k = 0; k < list.length; k++) {
          const i = list[k];
          if (!state.visible[i] || (hl && (hl[i] ? 1 : 0) !== pass) || !onScreen(i, w, h)) continue;
          shapePath(i);
          any = true;
        }
        if (!any) continue;
        ctx.fillStyle = styles[s].colour;
        ctx.fill();
        if (view.scale * 6 > 2.5) {
          // A thin white edge keeps overlapping nodes apart once they are big enough.
          ctx.strokeStyle = "#ffffff";
          ctx.lineWidth = 0.8;
          ctx.stroke();
        }
      }
      // The list's own resources carry a dark ring.
      ctx.beginPath();
      let rings = false;
      for (let i = 0; i < N; i++) {
        if (!listed[i] || !state.visible[i] || (hl && (hl[i] ? 1 : 0) !== pass) || !onScreen(i, w, h)) continue;
        shapePath(i);
        rings = true;
      }
      if (rings) {
        ctx.strokeStyle = LIST_RING;
        ctx.lineWidth = Math.min(3, Math.max(2, view.scale * 2.5));
        ctx.stroke();
      }
    }
    ctx.globalAlpha = 1;
    const marked = new Set(state.selected);
    if (state.hover >= 0) marked.add(state.hover);
    for (const i of marked) {
      ctx.beginPath();
      const r = sr[i];
      sr[i] = r + 3;
      shapePath(i);
      sr[i] = r;
      ctx.strokeStyle = i === state.hover && !state.selected.has(i) ? "#555555" : "#000000";
      ctx.lineWidth = 2.5;
      ctx.stroke();
    }
  }

  function shortLabel(i) {
    const text = labels[i];
    return text.length <= 48 ? text : text.slice(0, 47).trimEnd() + "…";
  }

  function drawLabels(w, h) {
    const hl = state.highlight;
    const placed = [];
    const cell = 120;
    const grid = new Map();
    const fits = (x0, y0, x1, y1) => {
      for (let gx = Math.floor(x0 / cell); gx <= Math.floor(x1 / cell); gx++) {
        for (let gy = Math.floor(y0 / cell); gy <= Math.floor(y1 / cell); gy++) {
          const boxes = grid.get(gx * 100003 + gy);
          if (!boxes) continue;
          for (const b of boxes) {
            if (x0 < b[2] && x1 > b[0] && y0 < b[3] && y1 > b[1]) return false;
          }
        }
      }
      return true;
    };
    const put = (box) => {
      for (let gx = Math.floor(box[0] / cell); gx <= Math.floor(box[2] / cell); gx++) {
        for (let gy = Math.floor(box[1] / cell); gy <= Math.floor(box[3] / cell); gy++) {
          const key = gx * 100003 + gy;
          if (!grid.has(key)) grid.set(key, []);
          grid.get(key).push(box);
        }
      }
    };
    ctx.font = "12px system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Noto Sans CJK SC', sans-serif";
    ctx.textBaseline = "middle";
    ctx.lineJoin = "round";
    const candidates = [];
    for (const i of state.selected) candidates.push(i);
    if (state.hover >= 0) candidates.push(state.hover);
    if (hl) {
      for (const i of labelOrder) if (hl[i]) candidates.push(i);
    } else {
      for (const i of labelOrder) candidates.push(i);
    }
    const seen = new Set();
    let checked = 0;
    for (const i of candidates) {
      if (placed.length >= MAX_LABELS || checked > 6000) break;
      if (seen.has(i)) continue;
      seen.add(i);
      checked++;
      const forced = state.selected.has(i) || i === state.hover || (hl && hl[i]);
      if (!state.visible[i] && !state.selected.has(i)) continue;
      // The first candidates (the list's resources and topics) get a label whatever
      // their size when there is room; the rest once they are big enough to read.
      if (!forced && sr[i] < 5 && checked > 60) continue;
      if (!onScreen(i, w, h)) continue;
      const text = shortLabel(i);
      const tw = ctx.measureText(text).width;
      const x = sx[i] + sr[i] + 3;
      const y = sy[i];
      const box = [x - 2, y - 8, x + tw + 2, y + 8];
      if (!forced && !fits(box[0], box[1], box[2], box[3])) continue;
      put(box);
      placed.push([text, x, y, listed[i] || groupOf[i] === "topic"]);
    }
    ctx.lineWidth = 3;
    ctx.strokeStyle = "rgba(255,255,255,0.9)";
    for (const [text, x, y] of placed) ctx.strokeText(text, x, y);
    for (const [text, x, y, strong] of placed) {
      ctx.fillStyle = strong ? "#111111" : "#444444";
      ctx.fillText(text, x, y);
    }
  }

  // ------------------------------------------------------------------------------------
  // Picking and pointer input
  // ------------------------------------------------------------------------------------

  let pickGrid = null; // world-space buckets of node indices, rebuilt when nodes move
  const PICK_CELL = 64;

  function invalidatePicking() {
    pickGrid = null;
  }

  function buildPickGrid() {
    pickGrid = new Map();
    for (let i = 0; i < N; i++) {
      const key = Math.floor(px[i] / PICK_CELL) * 100003 + Math.floor(py[i] / PICK_CELL);
      if (!pickGrid.has(key)) pickGrid.set(key, []);
      pickGrid.get(key).push(i);
    }
  }

  function nodeAt(screenX, screenY) {
    if (!pickGrid) buildPickGrid();
    const wx = (screenX - view.ox) / view.scale;
    const wy = (screenY - view.oy) / view.scale;
    // Far enough for the biggest node (48 + 3 units, drawn 3 pixels bigger when marked)
    // and for the 5-pixel minimum.
    const reach = Math.max((51 * nodeScale() + 3) / view.scale, 6 / view.scale);
    const c0 = Math.floor((wx - reach) / PICK_CELL), c1 = Math.floor((wx + reach) / PICK_CELL);
    const r0 = Math.floor((wy - reach) / PICK_CELL), r1 = Math.floor((wy + reach) / PICK_CELL);
    let best = -1;
    let bestScore = Infinity;
    for (let cx = c0; cx <= c1; cx++) {
      for (let cy = r0; cy <= r1; cy++) {
        const bucket = pickGrid.get(cx * 100003 + cy);
        if (!bucket) continue;
        for (const i of bucket) {
          if (!state.visible[i] && !state.selected.has(i)) continue;
          const d = Math.hypot(sx[i] - screenX, sy[i] - screenY);
          const within = Math.max(sr[i], 5);
          if (d <= within && d / within < bestScore) {
            best = i;
            bestScore = d / within;
          }
        }
      }
    }
    return best;
  }

  const pointers = new Map();
  let gesture = null;

  function localPoint(event) {
    const rect = canvas.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  }

  canvas.addEventListener("pointerdown", (event) => {
    canvas.setPointerCapture(event.pointerId);
    const p = localPoint(event);
    pointers.set(event.pointerId, p);
    if (pointers.size === 2) {
      const [a, b] = Array.from(pointers.values());
      gesture = { kind: "pinch", distance: Math.hypot(a.x - b.x, a.y - b.y), moved: true };
      return;
    }
    const node = nodeAt(p.x, p.y);
    gesture = { kind: node >= 0 ? "node" : "pan", node: node, start: p, last: p, moved: false };
    hideTooltip();
  });

  canvas.addEventListener("pointermove", (event) => {
    const p = localPoint(event);
    if (!gesture) {
      hover(p);
      return;
    }
    if (gesture.kind === "pinch" && pointers.has(event.pointerId)) {
      pointers.set(event.pointerId, p);
      const [a, b] = Array.from(pointers.values());
      const distance = Math.hypot(a.x - b.x, a.y - b.y);
      zoomAt((a.x + b.x) / 2, (a.y + b.y) / 2, distance / gesture.distance);
      gesture.distance = distance;
      return;
    }
    if (!gesture.moved && Math.hypot(p.x - gesture.start.x, p.y - gesture.start.y) < 4) return;
    gesture.moved = true;
    if (gesture.kind === "node") {
      // Dragging a node moves it (in the layout shown, so switching back keeps it).
      const i = gesture.node;
      px[i] = (p.x - view.ox) / view.scale;
      py[i] = (p.y - view.oy) / view.scale;
      layouts[state.layout][0][i] = px[i];
      layouts[state.layout][1][i] = py[i];
      invalidatePicking();
      heat();
    } else {
      view.ox += p.x - gesture.last.x;
      view.oy += p.y - gesture.last.y;
    }
    gesture.last = p;
    requestDraw();
  });

  function endGesture(event) {
    pointers.delete(event.pointerId);
    if (!gesture) return;
    const g = gesture;
    if (pointers.size === 0) gesture = null;
    if (g.moved || event.type === "pointercancel") return;
    const additive = event.shiftKey || event.ctrlKey || event.metaKey;
    if (g.kind === "node") {
      if (additive) toggleSelected(g.node);
      else selectOnly(g.node, false);
    } else if (!additive) {
      clearSelection();
    }
  }
  canvas.addEventListener("pointerup", endGesture);
  canvas.addEventListener("pointercancel", endGesture);
  canvas.addEventListener("pointerleave", () => {
    if (state.hover >= 0) {
      state.hover = -1;
      requestDraw();
    }
    hideTooltip();
  });

  canvas.addEventListener(
    "wheel",
    (event) => {
      event.preventDefault();
      const p = localPoint(event);
      const delta = event.deltaMode === 1 ? event.deltaY * 16 : event.deltaY;
      zoomAt(p.x, p.y, Math.exp(-delta * 0.0015));
    },
    { passive: false }
  );

  function zoomAt(x, y, factor) {
    const scale = Math.min(20, Math.max(0.005, view.scale * factor));
    const f = scale / view.scale;
    view.ox = x - (x - view.ox) * f;
    view.oy = y - (y - view.oy) * f;
    view.scale = scale;
    requestDraw();
  }

  function hover(p) {
    const i = nodeAt(p.x, p.y);
    if (i !== state.hover) {
      state.hover = i;
      canvas.style.cursor = i >= 0 ? "pointer" : "grab";
      requestDraw();
    }
    if (i < 0) {
      hideTooltip();
      return;
    }
    tooltip.replaceChildren(el("strong", labels[i]), el("span", metaText(i, false)));
    tooltip.hidden = false;
    const rect = container.getBoundingClientRect();
    const x = Math.min(p.x + 14, rect.width - tooltip.offsetWidth - 4);
    const y = Math.min(p.y + 14, rect.height - tooltip.offsetHeight - 4);
    tooltip.style.left = Math.max(4, x) + "px";
    tooltip.style.top = Math.max(4, y) + "px";
  }

  function hideTooltip() {
    tooltip.hidden = true;
  }

  // ------------------------------------------------------------------------------------
  // Camera
  // ------------------------------------------------------------------------------------

  function fit(onlyVisible) {
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (let i = 0; i < N; i++) {
      if (onlyVisible && !state.visible[i]) continue;
      const r = radius[i];
      x0 = Math.min(x0, px[i] - r);
      y0 = Math.min(y0, py[i] - r);
      x1 = Math.max(x1, px[i] + r);
      y1 = Math.max(y1, py[i] + r);
    }
    if (!isFinite(x0)) {
      x0 = -100; y0 = -100; x1 = 100; y1 = 100;
    }
    const pad = 24;
    const scale = Math.min(
      (view.width - 2 * pad) / Math.max(1, x1 - x0),
      (view.height - 2 * pad - (state.layout === "timeline" ? 20 : 0)) / Math.max(1, y1 - y0),
      2
    );
    view.scale = Math.max(0.005, scale);
    view.ox = view.width / 2 - ((x0 + x1) / 2) * view.scale;
    view.oy = view.height / 2 - ((y0 + y1) / 2) * view.scale + (state.layout === "timeline" ? 10 : 0);
    requestDraw();
  }

  function focusOn(i, scale) {
    view.scale = Math.max(view.scale, scale || 1);
    view.ox = view.width / 2 - px[i] * view.scale;
    view.oy = view.height / 2 - py[i] * view.scale;
    requestDraw();
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
    if (state.focus >= 0) vis[state.focus] = 1;
    updateCounts();
    requestDraw();
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
    physicsBox.disabled = state.layout !== "force" || visibleNodeCount() > PHYSICS_MAX;
    physicsBox.parentElement.title = physicsBox.disabled
      ? "Physics runs on the force layout of at most " + fmt(PHYSICS_MAX) + " shown nodes"
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
      requestDraw();
    });
  });
  const listedBox = $("kg-f-listed");
  const fetchedBox = $("kg-f-fetched");
  const topicSelect = $("kg-f-topic");
  const fromInput = $("kg-f-from");
  const toInput = $("kg-f-to");
  const undatedBox = $("kg-f-undated");
  const physicsBox = $("kg-physics");
  listedBox.addEventListener("change", () => { filters.listed = listedBox.checked; applyFilters(); });
  fetchedBox.addEventListener("change", () => { filters.fetched = fetchedBox.checked; applyFilters(); });
  topicSelect.addEventListener("change", () => {
    filters.topic = topicSelect.value === "" ? -1 : Number(topicSelect.value);
    applyFilters();
  });
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
      computeRadii();
      requestDraw();
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
    if (f < 0) {
      state.highlight = null;
      return;
    }
    const hl = new Uint8Array(N);
    hl[f] = 1;
    forEachNeighbour(f, (other, e) => {
      if (state.relOn[erel[e]]) hl[other] = 1;
    });
    state.highlight = hl;
  }

  function selectOnly(i, focus) {
    state.selected = new Set([i]);
    showNode(i);
    if (focus) {
      // The panel just took its width from the canvas: measure before aiming.
      resize();
      focusOn(i, 0.8);
    }
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
  }

  function clearSelection() {
    state.selected = new Set();
    hidePanel();
    applyFilters();
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

  function sectionList(section) {
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
    return list;
  }

  function appendSection(fragment, section) {
    fragment.appendChild(el("h3", section.title + " (" + fmt(section.nodes.length) + ")"));
    fragment.appendChild(sectionList(section));
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
    sections.filter(isByline).forEach((s) => appendSection(fragment, s));
    if (d.note) {
      const note = el("p", d.note, "kg-note");
      if (d.noteLang) note.lang = d.noteLang;
      fragment.appendChild(note);
    }
    if (d.tldr) fragment.appendChild(el("p", "TL;DR: " + d.tldr, "kg-tldr"));
    if (d.links && d.links.length) {
      fragment.appendChild(el("h3", "Links"));
      fragment.appendChild(linkList(d.links));
    }
    fragment.appendChild(el("p", d.iri, "kg-iri"));
    sections.filter((s) => !isByline(s)).forEach((s) => appendSection(fragment, s));
    panelBody.replaceChildren(fragment);
    panel.hidden = false;
    panel.dataset.node = String(i);
    panelBody.scrollTop = 0;
    state.focus = i;
    setHighlight();
    applyFilters();
    return true;
  }

  function hidePanel() {
    panel.hidden = true;
    delete panel.dataset.node;
    state.focus = -1;
    state.highlight = null;
    requestDraw();
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

  function setLayout(name) {
    if (!layouts[name] || name === state.layout) return;
    state.layout = name;
    if (name !== "force") setPhysics(false);
    const [tx, ty] = layouts[name];
    const fromX = Float64Array.from(px);
    const fromY = Float64Array.from(py);
    const started = performance.now();
    const duration = N > 20000 ? 0 : 450;
    if (animation) cancelAnimationFrame(animation);
    const step = (now) => {
      const t = duration ? Math.min(1, (now - started) / duration) : 1;
      const k = t * t * (3 - 2 * t);
      for (let i = 0; i < N; i++) {
        px[i] = fromX[i] + (tx[i] - fromX[i]) * k;
        py[i] = fromY[i] + (ty[i] - fromY[i]) * k;
      }
      invalidatePicking();
      draw();
      animation = t < 1 ? requestAnimationFrame(step) : null;
    };
    fitTo(tx, ty);
    animation = requestAnimationFrame(step);
    document.querySelectorAll("input[name='kg-layout']").forEach((radio) => {
      radio.checked = radio.value === name;
    });
    updateCounts();
  }

  function fitTo(tx, ty) {
    const keepX = Float64Array.from(px);
    const keepY = Float64Array.from(py);
    px.set(tx);
    py.set(ty);
    fit(true);
    px.set(keepX);
    py.set(keepY);
  }

  document.querySelectorAll("input[name='kg-layout']").forEach((radio) => {
    radio.addEventListener("change", () => {
      if (radio.checked) setLayout(radio.value);
    });
  });

  const velocity = { x: new Float64Array(N), y: new Float64Array(N) };
  let temperature = 0;
  let physicsFrame = null;

  function heat() {
    if (state.physics) temperature = Math.max(temperature, 0.5);
  }

  function setPhysics(on) {
    state.physics = on;
    physicsBox.checked = on;
    if (on) {
      temperature = 1;
      if (!physicsFrame) physicsFrame = requestAnimationFrame(physicsStep);
    }
  }

  // A plain force simulation for small graphs: every pair repels, edges pull, a weak
  // gravity keeps parts together. Writes into the force layout, so the result stays.
  function physicsStep() {
    physicsFrame = null;
    if (!state.physics || state.layout !== "force") return;
    const idx = [];
    for (let i = 0; i < N; i++) if (state.visible[i]) idx.push(i);
    const ideal = 60;
    const fx = new Float64Array(N);
    const fy = new Float64Array(N);
    for (let a = 0; a < idx.length; a++) {
      const i = idx[a];
      for (let b = a + 1; b < idx.length; b++) {
        const j = idx[b];
        let dx = px[i] - px[j];
        let dy = py[i] - py[j];
        let d2 = dx * dx + dy * dy;
        if (d2 < 1) {
          dx = (i - j) % 7 || 1;
          dy = 1;
          d2 = dx * dx + dy * dy;
        }
        if (d2 > 250000) continue;
        const f = (ideal * ideal) / d2;
        fx[i] += dx * f; fy[i] += dy * f;
        fx[j] -= dx * f; fy[j] -= dy * f;
      }
    }
    for (let e = 0; e < E; e++) {
      const a = esrc[e], b = edst[e];
      if (!state.relOn[erel[e]] || !state.visible[a] || !state.visible[b]) continue;
      const dx = px[b] - px[a];
      const dy = py[b] - py[a];
      const d = Math.hypot(dx, dy) || 1;
      const f = d / ideal;
      fx[a] += dx * f * 0.5; fy[a] += dy * f * 0.5;
      fx[b] -= dx * f * 0.5; fy[b] -= dy * f * 0.5;
    }
    const [lx, ly] = layouts.force;
    const limit = 30 * temperature;
    const dragged = gesture && gesture.kind === "node" && gesture.moved ? gesture.node : -1;
    for (const i of idx) {
      if (i === dragged) continue;
      fx[i] -= px[i] * 0.01;
      fy[i] -= py[i] * 0.01;
      velocity.x[i] = (velocity.x[i] + fx[i] * 0.05) * 0.6;
      velocity.y[i] = (velocity.y[i] + fy[i] * 0.05) * 0.6;
      const speed = Math.hypot(velocity.x[i], velocity.y[i]);
      const k = speed > limit ? limit / speed : 1;
      px[i] += velocity.x[i] * k;
      py[i] += velocity.y[i] * k;
      lx[i] = px[i];
      ly[i] = py[i];
    }
    temperature = Math.max(0.02, temperature * 0.985);
    invalidatePicking();
    draw();
    physicsFrame = requestAnimationFrame(physicsStep);
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

  const BIBTEX_SPECIAL = {
    "\\": "\\textbackslash{}", "{": "\\{", "}": "\\}", "%": "\\%", "&": "\\&", "$": "\\$",
    "#": "\\#", "_": "\\_", "~": "\\textasciitilde{}", "^": "\\textasciicircum{}",
  };

  function bibValue(text) {
    return String(text).replace(/[\\{}%&$#_~^]/g, (c) => BIBTEX_SPECIAL[c]).replace(/\s+/g, " ").trim();
  }

  function bibKey(i, used) {
    const ascii = (s) => s.normalize("NFKD").replace(/[^A-Za-z0-9]/g, "");
    const authors = related(i, "creator", "out");
    const family = authors.length ? labels[authors[0]].trim().split(/\s+/).pop() : "";
    const word = (labels[i].match(/[A-Za-z0-9]{3,}/) || [""])[0];
    let key = (ascii(family).toLowerCase() + (year[i] || "") + ascii(word).toLowerCase()) || "work" + i;
    if (/^[0-9]/.test(key)) key = "w" + key;
    let unique = key;
    for (let n = 0; used.has(unique); n++) unique = key + String.fromCharCode(97 + (n % 26)) + (n >= 26 ? n : "");
    used.add(unique);
    return unique;
  }

  const BIBTEX_TYPES = {
    "Journal article": "article", "Conference paper": "inproceedings", "Book": "book",
    "Preprint": "misc", "Survey": "article", "Paper": "article",
  };

  function toBibtex(works) {
    const used = new Set();
    const entries = [];
    for (const i of works) {
      const d = details[i];
      const type = BIBTEX_TYPES[d.kind] || "misc";
      const fields = [["title", "{" + bibValue(labels[i]) + "}"]];
      const authors = related(i, "creator", "out").map((p) => bibValue(labels[p]));
      if (authors.length) fields.push(["author", authors.join(" and ")]);
      if (year[i]) fields.push(["year", String(year[i])]);
      if (d.venue) {
        const field = type === "inproceedings" ? "booktitle" : type === "article" ? "journal" : "howpublished";
        fields.push([field, bibValue(d.venue)]);
      }
      if (d.doi) fields.push(["doi", bibValue(d.doi)]);
      if (d.arxiv) {
        fields.push(["eprint", bibValue(d.arxiv)]);
        fields.push(["archiveprefix", "arXiv"]);
      }
      const url = d.links && d.links.length ? httpHref(d.links[0][1]) : null;
      if (url) fields.push(["url", bibValue(url)]);
      if (d.note) fields.push(["note", bibValue(d.note)]);
      const body = fields.map((f) => "  " + f[0] + " = {" + f[1] + "}").join(",\n");
      entries.push("@" + type + "{" + bibKey(i, used) + ",\n" + body + "\n}\n");
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
      draw();
      canvas.toBlob((blob) => { if (blob) download("kg-map.png", blob); }, "image/png");
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

  // ------------------------------------------------------------------------------------
  // Start
  // ------------------------------------------------------------------------------------

  filters.from = readYear(fromInput);
  filters.to = readYear(toInput);
  computeRadii();
  resize();
  new ResizeObserver(() => {
    resize();
    requestDraw();
  }).observe(container);
  applyFilters();
  fit(false);
  draw();
  canvas.style.cursor = "grab";
  // Two frames later the first drawing is on screen: the page is ready.
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      window.kgDrawnAt = performance.now();
      window.kgReady = true;
    })
  );

  // For scripts and tests. Nodes are numbered 0…N-1 in IRI order.
  window.kg = {
    nodeCount: N,
    edgeCount: E,
    idOf: (iri) => {
      for (let i = 0; i < N; i++) if (details[i].iri === iri) return i;
      return null;
    },
    label: (i) => labels[i],
    select: (i) => selectOnly(i, true),
    showNode: showNode,
    hidePanel: hidePanel,
    selection: () => Array.from(state.selected).sort((a, b) => a - b),
    highlighted: () => {
      const found = [];
      if (state.highlight) for (let i = 0; i < N; i++) if (state.highlight[i]) found.push(i);
      return found;
    },
    nodeAt: (x, y) => nodeAt(x, y),
    toggleSelected: toggleSelected,
    isVisible: (i) => state.visible[i] === 1,
    visibleNodes: visibleNodeCount,
    visibleEdges: visibleEdgeCount,
    screenPosition: (i) => ({ x: px[i] * view.scale + view.ox, y: py[i] * view.scale + view.oy }),
    focus: (i, scale) => focusOn(i, scale),
    fit: () => fit(true),
    layout: () => state.layout,
    setLayout: setLayout,
    position: (i) => ({ x: px[i], y: py[i] }),
    exportText: (format) => (format === "csv" ? toCsv(exportSet()) : toBibtex(exportSet())),
    draw: draw,
  };
})();
