/* kg map page, details.js: Selection, the neighbourhood highlight and the details panel of a node.
 * A section of the interface (see page.js): it shares the one scope of page.js. */

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
