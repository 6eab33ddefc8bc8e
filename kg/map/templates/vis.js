/*
 * kg map page, vis-network engine: the graph as vis-network 9.1.2 draws it (inlined from
 * the pyvis package), from the nodes, edges and options kg/map/vis.py built with pyvis. kg/map/page.py
 * picks it for graphs of up to 2,000 nodes and 10,000 edges. Registers window.kgEngines.vis; the
 * interface it offers is described at the top of page.js.
 *
 * vis-network gets no node or edge "title", so it never shows a popup of its own: the
 * tooltip is the page's, built as text. Visibility, sizes and positions go to vis-network
 * as DataSet updates (of only the nodes and edges that changed). The neighbourhood
 * highlight does not: updating the look of every node and edge took half a second per
 * click at 2,000 nodes and 10,000 edges. A white veil is laid over the drawing instead, and
 * vis-network's own node and edge objects draw the neighbourhood again above it
 * (network.body: internal, but fixed with vis-network 9.1.2, the version pyvis ships).
 *
 * vis-network scales nodes and labels with the zoom, where the canvas engine lets them
 * shrink slower than distances (scale^0.6) so a whole field stays legible. So that the
 * first view looks the same, vis-network's world is the page's times WORLD, chosen once
 * from the zoom that fits the map: nodes then start at the size the canvas gives them.
 */
(function () {
  "use strict";

  const PHYSICS_MAX = 2000; // vis-network's simulation (ForceAtlas2, Barnes-Hut) stays fluid up to here
  const VEIL = "rgba(255,255,255,0.75)"; // over what lies outside a highlighted neighbourhood

  window.kgEngines = window.kgEngines || {};
  window.kgEngines.vis = function (mount, model, hooks) {
    const { N, E, state, esrc, edst, erel } = model;
    const WORLD = worldScale();
    const nodes = new vis.DataSet(
      model.vis.nodes.map((node) => Object.assign({}, node, { x: node.x * WORLD, y: node.y * WORLD }))
    );
    const edges = new vis.DataSet(model.vis.edges);
    const network = new vis.Network(mount, { nodes: nodes, edges: edges }, model.vis.options);
    const canvas = mount.querySelector("canvas");

    // What vis-network was last told, so that only changes are sent.
    const nodeHidden = new Uint8Array(N);
    const edgeHidden = new Uint8Array(E);
    let lit = null; // the highlighted neighbourhood: {nodes, edges} drawn above the veil

    let pointer = { x: 0, y: 0 };
    let hovered = -1;
    let drawnCallbacks = []; // waiting for the first frame; null once it is drawn

    // fit^0.4 (at most 1), where fit is the zoom that shows the whole force layout.
    function worldScale() {
      let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
      for (let i = 0; i < N; i++) {
        x0 = Math.min(x0, model.x[i] - model.radius[i]);
        y0 = Math.min(y0, model.y[i] - model.radius[i]);
        x1 = Math.max(x1, model.x[i] + model.radius[i]);
        y1 = Math.max(y1, model.y[i] + model.radius[i]);
      }
      if (!isFinite(x0)) return 1;
      const fit = Math.min(
        (mount.clientWidth - 48) / Math.max(1, x1 - x0),
        (mount.clientHeight - 48) / Math.max(1, y1 - y0)
      );
      return Math.pow(Math.min(1, Math.max(0.005, fit)), 0.4);
    }

    // A redraw at the next frame, however many changes ask for one (vis-network's own
    // request, which its DataSet updates use too).
    function requestRedraw() {
      network.body.emitter.emit("_requestRedraw");
    }

    function update(dataset, changes) {
      if (changes.length) dataset.update(changes);
    }

    function setVisible() {
      const changes = [];
      for (let i = 0; i < N; i++) {
        const hidden = state.visible[i] ? 0 : 1;
        if (hidden !== nodeHidden[i]) {
          nodeHidden[i] = hidden;
          changes.push({ id: i, hidden: hidden === 1 });
        }
      }
      update(nodes, changes);
      // vis-network leaves out the edges of hidden nodes by itself: only the edge-type
      // toggles need telling.
      const edgeChanges = [];
      for (let e = 0; e < E; e++) {
        const hidden = state.relOn[erel[e]] ? 0 : 1;
        if (hidden !== edgeHidden[e]) {
          edgeHidden[e] = hidden;
          edgeChanges.push({ id: e, hidden: hidden === 1 });
        }
      }
      update(edges, edgeChanges);
    }

    // The focus, its highlighted neighbours and the edges between them stay bright (with
    // no focus, a highlighted group and the edges inside it); the rest fades.
    function setHighlight() {
      const hl = state.highlight;
      lit = null;
      if (hl) {
        lit = { nodes: [], edges: [] };
        for (let i = 0; i < N; i++) if (hl[i]) lit.nodes.push(i);
        if (state.focus >= 0) {
          model.forEachNeighbour(state.focus, (other, e) => {
            if (hl[other]) lit.edges.push(e);
          });
        } else {
          for (let e = 0; e < E; e++) if (hl[esrc[e]] && hl[edst[e]]) lit.edges.push(e);
        }
      }
      requestRedraw();
    }

    // Each node's colour: its group's (its kind's), or model.colours' with the same ring.
    function setColours() {
      const groups = model.vis.options.groups;
      const changes = [];
      for (let i = 0; i < N; i++) {
        const own = groups[model.vis.nodes[i].group].color;
        const fill = model.colours ? model.colours[i] : own.background;
        changes.push({
          id: i,
          color: {
            background: fill,
            border: own.border,
            highlight: { background: fill, border: own.highlight.border },
            hover: { background: fill, border: own.hover.border },
          },
        });
      }
      update(nodes, changes);
    }

    function drawHighlight(ctx) {
      ctx.save();
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.fillStyle = VEIL;
      ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
      ctx.restore();
      const body = network.body;
      const shown = lit.edges
        .filter((e) => state.visible[esrc[e]] && state.visible[edst[e]])
        .map((e) => body.edges[e])
        .filter((edge) => edge && edge.connected);
      shown.forEach((edge) => edge.draw(ctx));
      shown.forEach((edge) => edge.drawArrows(ctx));
      const labels = [];
      lit.nodes.forEach((i) => {
        const node = body.nodes[i];
        if (!node || node.options.hidden) return;
        const drawn = node.draw(ctx);
        if (drawn.drawExternalLabel) labels.push(drawn.drawExternalLabel);
      });
      labels.forEach((label) => label());
    }

    function select() {
      network.selectNodes(Array.from(state.selected), false);
    }

    function setSizes() {
      const changes = [];
      for (let i = 0; i < N; i++) changes.push({ id: i, size: model.radius[i] });
      update(nodes, changes);
    }

    function setPositions(xs, ys) {
      const changes = [];
      for (let i = 0; i < N; i++) changes.push({ id: i, x: xs[i] * WORLD, y: ys[i] * WORLD });
      update(nodes, changes);
    }

    // Read from vis-network's node objects: getPositions() leaves hidden nodes out (and
    // rounds), and the page needs every node, filtered or not.
    function positions() {
      const all = network.body.nodes;
      const xs = new Float64Array(N);
      const ys = new Float64Array(N);
      for (let i = 0; i < N; i++) {
        xs[i] = all[i].x / WORLD;
        ys[i] = all[i].y / WORLD;
      }
      return [xs, ys];
    }

    function fitBox(x0, y0, x1, y1, top) {
      const pad = 24;
      const scale = Math.min(
        (mount.clientWidth - 2 * pad) / Math.max(1, x1 - x0),
        (mount.clientHeight - 2 * pad - top) / Math.max(1, y1 - y0),
        2
      );
      network.moveTo({
        position: { x: ((x0 + x1) / 2) * WORLD, y: ((y0 + y1) / 2) * WORLD },
        scale: Math.max(0.005, scale) / WORLD,
        offset: { x: 0, y: top / 2 },
        animation: false,
      });
    }

    function focus(i, scale) {
      network.moveTo({
        position: network.getPosition(i),
        scale: Math.max(network.getScale(), (scale || 1) / WORLD), // the page's zoom is vis-network's * WORLD
        animation: false,
      });
    }

    // Pixels = world * scale + offset, for drawing under the graph.
    function view() {
      const origin = network.canvasToDOM({ x: 0, y: 0 });
      return {
        scale: network.getScale() * WORLD,
        ox: origin.x,
        oy: origin.y,
        width: mount.clientWidth,
        height: mount.clientHeight,
      };
    }

    // ----------------------------------------------------------------------------------
    // vis-network's events, as the page's hooks
    // ----------------------------------------------------------------------------------

    network.on("click", (params) => {
      const event = (params.event && params.event.srcEvent) || {};
      const node = network.getNodeAt(params.pointer.DOM);
      hooks.click(node === undefined ? -1 : node, !!(event.shiftKey || event.ctrlKey || event.metaKey));
      select(); // vis-network changed its selection on the click: show the page's
    });
    mount.addEventListener("pointermove", (event) => {
      const rect = mount.getBoundingClientRect();
      pointer = { x: event.clientX - rect.left, y: event.clientY - rect.top };
      if (hovered >= 0) hooks.hover(hovered, pointer);
    });
    network.on("hoverNode", (params) => {
      hovered = params.node;
      mount.style.cursor = "pointer";
      hooks.hover(hovered, pointer);
    });
    network.on("blurNode", () => {
      hovered = -1;
      mount.style.cursor = "";
      hooks.hover(-1);
    });
    network.on("dragStart", () => hooks.hover(-1));
    network.on("dragEnd", (params) => {
      params.nodes.forEach((i) => {
        const p = network.getPosition(i);
        hooks.moved(i, p.x / WORLD, p.y / WORLD);
      });
      select();
    });
    // A page hook draws in pixels; vis-network's context is in its world units.
    function inPixels(ctx, hook) {
      ctx.save();
      const ratio = ctx.canvas.width / Math.max(1, ctx.canvas.clientWidth);
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      hook(ctx, view());
      ctx.restore();
    }

    network.on("beforeDrawing", (ctx) => {
      // A white ground (for the PNG), then the page's underlay.
      ctx.save();
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.fillStyle = "#ffffff";
      ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
      ctx.restore();
      inPixels(ctx, hooks.underlay);
    });
    network.on("afterDrawing", (ctx) => {
      if (lit) drawHighlight(ctx);
      inPixels(ctx, hooks.overlay);
      const waiting = drawnCallbacks;
      drawnCallbacks = null;
      if (waiting) waiting.forEach((done) => done());
    });

    // ----------------------------------------------------------------------------------
    // The engine's interface (see page.js)
    // ----------------------------------------------------------------------------------

    return {
      physicsMax: PHYSICS_MAX,
      setPositions: setPositions,
      positions: positions,
      setSizes: setSizes,
      setColours: setColours,
      setVisible: setVisible,
      setHighlight: setHighlight,
      select: select,
      focus: focus,
      fitBox: fitBox,
      screenPosition: (i) => network.canvasToDOM(network.getPosition(i)),
      nodeAt: (x, y) => {
        const node = network.getNodeAt({ x: x, y: y });
        return node === undefined ? -1 : node;
      },
      setPhysics: (on) => network.setOptions({ physics: { enabled: on } }),
      resize: () => {
        network.setSize("100%", "100%"); // measures the mount now; draws at the next frame
        requestRedraw();
      },
      toPNG: (done) => {
        network.redraw();
        canvas.toBlob(done, "image/png");
      },
      redraw: () => network.redraw(),
      whenDrawn: (done) => {
        if (drawnCallbacks) drawnCallbacks.push(done);
        else done();
      },
    };
  };
})();
