/*
 * kg map page, the start: draw the first frame, say when it is on screen (window.kgReady,
 * window.kgDrawnAt), and offer window.kg to scripts and tests. The last of the interface's
 * files (see the top of page.js): everything it calls is defined by then.
 */

  filters.from = readYear(fromInput);
  filters.to = readYear(toInput);
  engine.setSizes();
  new ResizeObserver(() => engine.resize()).observe(mount);
  applyFilters();
  fit(false);
  engine.redraw();
  // Two frames after the first drawing, it is on screen: the page is ready.
  engine.whenDrawn(() =>
    requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        window.kgDrawnAt = performance.now();
        window.kgReady = true;
      })
    )
  );

  // For scripts and tests. Nodes are numbered 0…N-1 in IRI order.
  window.kg = {
    engine: data.engine,
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
    nodeAt: (x, y) => engine.nodeAt(x, y),
    toggleSelected: toggleSelected,
    clearSelection: clearSelection,
    isVisible: (i) => state.visible[i] === 1,
    visibleNodes: visibleNodeCount,
    visibleEdges: visibleEdgeCount,
    screenPosition: (i) => engine.screenPosition(i),
    focus: (i, scale) => engine.focus(i, scale),
    fit: () => fit(true),
    layout: () => state.layout,
    setLayout: setLayout,
    settled: settled,
    position: (i) => {
      const [xs, ys] = engine.positions();
      return { x: xs[i], y: ys[i] };
    },
    exportText: (format) => (format === "csv" ? toCsv(exportSet()) : toBibtex(exportSet())),
    draw: () => engine.redraw(),
    // The Insights view (insights.js) and colour by community (communities.js).
    insights: insightsApi,
    colourBy: setColourMode,
    colourMode: () => colourMode,
    colourOf: (i) => (model.colours ? model.colours[i] : styles[styleOf[i]].colour),
    communityLabels: () => drawnCommunityLabels.map((label) => Object.assign({}, label)),
  };
