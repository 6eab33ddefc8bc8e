/* kg map page, filters.js: Filters (facets) and search: what is shown, and finding a node by its words.
 * A section of the interface (see page.js): it shares the one scope of page.js. */

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
  const topicText = topicOptions.map((o) => fold(o.textContent.trim()));
  // Depth in the tree: the template indents a narrower topic by two no-break spaces a level.
  const topicDepth = topicOptions.map((o) => o.textContent.match(/^\u00a0*/)[0].length / 2);
  let firstTopicFound = null;
  function narrowTopics() {
    const q = fold(topicFind.value.trim());
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
    const q = fold(query.trim());
    if (!q) return [];
    if (!lowered) lowered = labels.map(fold);
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
