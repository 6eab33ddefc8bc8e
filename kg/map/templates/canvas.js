/*
 * kg map page, canvas engine: draws the graph with plain canvas paths, for graphs too large
 * for vis-network (kg/map/reduce.py picks it; ~13,000 nodes and ~110,000 edges are drawn in well
 * under a second and pan at interactive speed). Registers window.kgEngines.canvas; the
 * interface it offers is described at the top of page.js. Text is only ever drawn on the
 * canvas (fillText), never put in the DOM.
 *
 * Sections: sizes and labels, view (drawing), picking and pointer input, camera, physics.
 */
(function () {
  "use strict";

  const MAX_LABELS = 250; // labels per frame; more is clutter, and slow
  const PHYSICS_MAX = 1500; // physics is O(n²) per step: small graphs only
  const LIST_RING = "#1b1b1b";

  window.kgEngines = window.kgEngines || {};
  window.kgEngines.canvas = function (mount, model, hooks) {
    const { N, E, labels, styles, relations, styleOf, groupOf, listed } = model;
    const { esrc, edst, erel, radius, state, forEachNeighbour } = model;

    const canvas = document.createElement("canvas");
    mount.appendChild(canvas);
    const ctx = canvas.getContext("2d");
    const px = new Float64Array(N); // where nodes are drawn now (world units)
    const py = new Float64Array(N);
    const edgesByRel = relations.map(() => []);
    for (let e = 0; e < E; e++) edgesByRel[erel[e]].push(e);
    let fills = []; // [{colour, nodes}]: nodes filled in one colour, drawn as one path
    let hovered = -1;
    let labelOrder = [];
    let drawnCallbacks = []; // waiting for the first frame; null once it is drawn
    px.set(model.x);
    py.set(model.y);

    // ----------------------------------------------------------------------------------
    // Sizes and labels
    // ----------------------------------------------------------------------------------

    // The kinds' colours, or model.colours (a colour per node) when the page sets them.
    function setColours() {
      const byColour = new Map();
      for (let i = 0; i < N; i++) {
        const colour = model.colours ? model.colours[i] : styles[styleOf[i]].colour;
        if (!byColour.has(colour)) byColour.set(colour, []);
        byColour.get(colour).push(i);
      }
      fills = Array.from(byColour, ([colour, nodes]) => ({ colour: colour, nodes: nodes }));
      requestDraw();
    }

    function setSizes() {
      // Labels go to the list's resources and topics first (the biggest first), then to
      // the other nodes by size.
      const structural = (i) => (listed[i] || groupOf[i] === "topic" ? 1 : 0);
      labelOrder = Array.from({ length: N }, (_, i) => i).sort(
        (a, b) => structural(b) - structural(a) || radius[b] - radius[a] || a - b
      );
      requestDraw();
    }

    // ------------------------------------------------------------------------------------
    // View: world (layout pixels) -> screen: s = w * scale + offset
    // ------------------------------------------------------------------------------------

    const view = { scale: 1, ox: 0, oy: 0, width: 1, height: 1, dpr: 1 };
    let sized = false;
    let frameRequested = false;
    const sx = new Float32Array(N);
    const sy = new Float32Array(N);
    const sr = new Float32Array(N);

    // Measure the mount; false when nothing changed (a new canvas size clears it, and the
    // page's own call and its ResizeObserver often report the same change).
    function resize() {
      const rect = mount.getBoundingClientRect();
      const dpr = window.devicePixelRatio || 1;
      const width = Math.max(1, Math.round(rect.width));
      const height = Math.max(1, Math.round(rect.height));
      if (sized && width === view.width && height === view.height && dpr === view.dpr) return false;
      sized = true;
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
      return true;
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
      hooks.underlay(ctx, view);
      drawEdges(w, h);
      drawNodes(w, h);
      drawLabels(w, h);
      if (hooks.overlay) hooks.overlay(ctx, view);
      const waiting = drawnCallbacks;
      drawnCallbacks = null;
      if (waiting) waiting.forEach((done) => done());
    }

    // Nodes shrink slower than distances when zooming out, so a whole field stays legible.
    function nodeScale() {
      return Math.pow(view.scale, 0.6);
    }

    function onScreen(i, w, h) {
      const r = sr[i];
      return sx[i] + r >= 0 && sx[i] - r <= w && sy[i] + r >= 0 && sy[i] - r <= h;
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
          if (hl && lit(a, b)) continue;
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

    // An edge drawn bright: from the focus to its highlighted neighbours, or, with no
    // focus, inside the highlighted group.
    function lit(a, b) {
      const hl = state.highlight;
      return hl[a] && hl[b] && (state.focus < 0 || a === state.focus || b === state.focus);
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

    // The lit edges, bright: one path per relation (a lit community may hold thousands).
    function drawFocusEdges() {
      const f = state.focus;
      const byRel = relations.map(() => []);
      const take = (e) => {
        const a = esrc[e], b = edst[e];
        if (state.relOn[erel[e]] && state.visible[a] && state.visible[b] && lit(a, b)) byRel[erel[e]].push(e);
      };
      if (f >= 0) forEachNeighbour(f, (other, e) => take(e));
      else for (let e = 0; e < E; e++) take(e);
      byRel.forEach((list, r) => {
        if (!list.length) return;
        ctx.lineWidth = list.length > 3000 ? 1 : 1.6; // thick lines cost dearly by the thousand
        ctx.strokeStyle = relations[r].colour === "#8d8d8d" ? "#555555" : relations[r].colour;
        ctx.beginPath();
        for (const e of list) {
          ctx.moveTo(sx[esrc[e]], sy[esrc[e]]);
          ctx.lineTo(sx[edst[e]], sy[edst[e]]);
        }
        ctx.stroke();
        if (relations[r].arrow && list.length < 3000) {
          ctx.beginPath();
          for (const e of list) arrowHead(esrc[e], edst[e]);
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

    function drawNodes(w, h) {
      const hl = state.highlight;
      const passes = hl ? [0, 1] : [1];
      for (const pass of passes) {
        ctx.globalAlpha = hl && pass === 0 ? 0.25 : 1;
        for (const fill of fills) {
          const list = fill.nodes;
          ctx.beginPath();
          let any = false;
          for (let k = 0; k < list.length; k++) {
            const i = list[k];
            if (!state.visible[i] || (hl && (hl[i] ? 1 : 0) !== pass) || !onScreen(i, w, h)) continue;
            shapePath(i);
            any = true;
          }
          if (!any) continue;
          ctx.fillStyle = fill.colour;
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
      if (hovered >= 0) marked.add(hovered);
      for (const i of marked) {
        ctx.beginPath();
        const r = sr[i];
        sr[i] = r + 3;
        shapePath(i);
        sr[i] = r;
        ctx.strokeStyle = i === hovered && !state.selected.has(i) ? "#555555" : "#000000";
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
      if (hovered >= 0) candidates.push(hovered);
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
        // Chosen nodes are named whatever the clutter: a few selected, the hovered one, the
        // focus's neighbourhood (not a whole group lit without a focus).
        const forced = (state.selected.has(i) && state.selected.size <= 50) || i === hovered ||
          (hl && hl[i] && state.focus >= 0);
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
      hooks.hover(-1);
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
        hooks.moved(i, px[i], py[i]);
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
      hooks.click(g.kind === "node" ? g.node : -1, event.shiftKey || event.ctrlKey || event.metaKey);
    }
    canvas.addEventListener("pointerup", endGesture);
    canvas.addEventListener("pointercancel", endGesture);
    canvas.addEventListener("pointerleave", () => {
      if (hovered >= 0) {
        hovered = -1;
        requestDraw();
      }
      hooks.hover(-1);
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
      if (i !== hovered) {
        hovered = i;
        canvas.style.cursor = i >= 0 ? "pointer" : "grab";
        requestDraw();
      }
      hooks.hover(i, p);
    }

    // ------------------------------------------------------------------------------------
    // Camera
    // ------------------------------------------------------------------------------------

    function fitBox(x0, y0, x1, y1, top) {
      const pad = 24;
      const scale = Math.min(
        (view.width - 2 * pad) / Math.max(1, x1 - x0),
        (view.height - 2 * pad - top) / Math.max(1, y1 - y0),
        2
      );
      view.scale = Math.max(0.005, scale);
      view.ox = view.width / 2 - ((x0 + x1) / 2) * view.scale;
      view.oy = view.height / 2 - ((y0 + y1) / 2) * view.scale + top / 2;
      requestDraw();
    }

    function focusOn(i, scale) {
      view.scale = Math.max(view.scale, scale || 1);
      view.ox = view.width / 2 - px[i] * view.scale;
      view.oy = view.height / 2 - py[i] * view.scale;
      requestDraw();
    }

    // ----------------------------------------------------------------------------------
    // Physics
    // ----------------------------------------------------------------------------------

    const velocity = { x: new Float64Array(N), y: new Float64Array(N) };
    let temperature = 0;
    let physicsOn = false;
    let physicsFrame = null;

    function heat() {
      if (physicsOn) temperature = Math.max(temperature, 0.5);
    }

    function setPhysics(on) {
      physicsOn = on;
      if (on) {
        temperature = 1;
        if (!physicsFrame) physicsFrame = requestAnimationFrame(physicsStep);
      }
    }

    // A plain force simulation for small graphs: every pair repels, edges pull, a weak
    // gravity keeps parts together.
    function physicsStep() {
      physicsFrame = null;
      if (!physicsOn) return;
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
      }
      temperature = Math.max(0.02, temperature * 0.985);
      invalidatePicking();
      draw();
      physicsFrame = requestAnimationFrame(physicsStep);
    }

    // ----------------------------------------------------------------------------------
    // The engine's interface (see page.js)
    // ----------------------------------------------------------------------------------

    resize();
    setColours();
    canvas.style.cursor = "grab";
    return {
      physicsMax: PHYSICS_MAX,
      setPositions: (xs, ys) => {
        px.set(xs);
        py.set(ys);
        invalidatePicking();
        requestDraw();
      },
      positions: () => [Float64Array.from(px), Float64Array.from(py)],
      setSizes: setSizes,
      setColours: setColours,
      setVisible: requestDraw,
      setHighlight: requestDraw,
      select: requestDraw,
      focus: focusOn,
      fitBox: fitBox,
      screenPosition: (i) => ({ x: px[i] * view.scale + view.ox, y: py[i] * view.scale + view.oy }),
      nodeAt: nodeAt,
      setPhysics: setPhysics,
      resize: () => {
        if (resize()) requestDraw();
      },
      toPNG: (done) => {
        draw();
        canvas.toBlob(done, "image/png");
      },
      redraw: () => draw(),
      whenDrawn: (done) => {
        if (drawnCallbacks) drawnCallbacks.push(done);
        else done();
      },
    };
  };
})();
