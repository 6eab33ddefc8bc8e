/*
 * kg map page, the Insights view: what kg concludes about the list (payload insights; see
 * kg/map/payload.py, which names nodes by index) as lists in the sidebar's second tab:
 * candidates, derivative works, misfiled entries, communities, disconnected topics,
 * isolated entries, and the notes on what the data is too thin to say. And, in the details
 * panel, why a node is named by an insight, each piece of evidence a button that selects it.
 *
 * A click on an entry selects its node, centres it with its evidence in view and lights the
 * evidence up (state.highlight): the list resources citing a candidate, those a derivative
 * cites, a misfit's neighbours and the topic it seems to belong to, a community's members.
 * The evidence stays shown whatever the filters (state.pinned) until the next selection.
 * Each list exports as CSV; "Select all" selects its works for the page's CSV and BibTeX.
 *
 * Lists are made lazily: the view when its tab first opens, a section's rows when it first
 * opens, CHUNK rows at a time ("Show more"), so lists of thousands open at once. Rows are
 * buttons (Tab reaches a list, the arrow keys move in it); the tabs follow the ARIA tabs
 * pattern, and "i" opens the view. All text goes in with textContent.
 */

  const CHUNK = 200;
  const found = data.insights || {};
  const insightsTab = $("kg-tab-insights");
  const legendTab = $("kg-tab-legend");
  const insightsView = $("kg-insights");
  const legendView = $("kg-legend");
  const sidebar = $("kg-sidebar");

  const asFinding = (i) => ({ node: i, evidence: [] });
  const titleOf = (i) => labels[i];
  const percent = (x) => Math.round(x * 100) + " %";
  const hasTopic = (f) => f.topic !== null && f.topic !== undefined;

  // One section per kind of finding: how a row reads, what a click lights up, the CSV.
  const SECTIONS = [
    {
      key: "candidates",
      title: "Candidates",
      hint: "Works not on the list that list resources cite, best first. A click lights up the list resources citing it.",
      rows: found.candidates || [],
      meta: (f) => "score " + f.score + " · cited by " + fmt(f.evidence.length) +
        (hasTopic(f) ? " · → " + labels[f.topic] : ""),
      lit: (f) => [f.node].concat(f.evidence),
      header: ["rank", "iri", "title", "score", "topic_iri", "topic", "cited_by_iris", "cited_by_titles"],
      csv: (f, k) => [k + 1, details[f.node].iri, labels[f.node], f.score,
        hasTopic(f) ? details[f.topic].iri : "", hasTopic(f) ? labels[f.topic] : "",
        f.evidence.map((i) => details[i].iri).join("; "), f.evidence.map(titleOf).join("; ")],
    },
    {
      key: "derivatives",
      title: "Derivative works",
      hint: "Works not on the list that cite several list resources: what builds on the list. A click lights up the resources it cites.",
      rows: found.derivatives || [],
      meta: (f) => (year[f.node] ? year[f.node] + " · " : "") + "score " + f.score + " · cites " + fmt(f.evidence.length),
      lit: (f) => [f.node].concat(f.evidence),
      header: ["rank", "iri", "title", "year", "score", "cites_iris", "cites_titles"],
      csv: (f, k) => [k + 1, details[f.node].iri, labels[f.node], year[f.node] || "", f.score,
        f.evidence.map((i) => details[i].iri).join("; "), f.evidence.map(titleOf).join("; ")],
    },
    {
      key: "misfiled",
      title: "Misfiled entries",
      hint: "List resources whose neighbours on the list are mostly filed under another topic. A click lights up the neighbours and that topic.",
      rows: found.misfiled || [],
      meta: (f) => labels[f.topic] + " → " + labels[f.suggested] + " (" + percent(f.agreement) + ")",
      lit: (f) => [f.node, f.suggested].concat(f.evidence),
      header: ["iri", "title", "topic_iri", "topic", "suggested_iri", "suggested", "agreement",
        "evidence_iris", "evidence_titles"],
      csv: (f) => [details[f.node].iri, labels[f.node], details[f.topic].iri, labels[f.topic],
        details[f.suggested].iri, labels[f.suggested], f.agreement,
        f.evidence.map((i) => details[i].iri).join("; "), f.evidence.map(titleOf).join("; ")],
    },
    {
      key: "communities",
      title: "Communities",
      hint: "Groups of works more linked with one another than with the rest of the field, largest first. A click lights up the members.",
      rows: found.communities || [],
      label: (c) => c.label || c.id,
      meta: (c) => c.id + " · " + fmt(c.members.length) + (c.members.length === 1 ? " work" : " works") +
        " · " + fmt(c.members.filter((i) => listed[i]).length) + " on the list",
      header: ["id", "label", "size", "on_list", "topics", "member_iris"],
      csv: (c) => [c.id, c.label, c.members.length, c.members.filter((i) => listed[i]).length,
        c.topics.map(titleOf).join("; "), c.members.map((i) => details[i].iri).join("; ")],
    },
    nodeSection("disconnected", "Disconnected topics",
      "Topics whose resources have no citation path to the rest of the list."),
    nodeSection("isolated", "Isolated entries",
      "List resources with no citation to or from any work of the field."),
  ];

  // A finding that is a node alone (no evidence beside it): a click selects it as usual.
  function nodeSection(key, title, hint) {
    return {
      key: key,
      title: title,
      hint: hint,
      rows: (found[key] || []).map(asFinding),
      meta: (f) => metaText(f.node, true),
      lit: (f) => [f.node],
      header: ["iri", "title"],
      csv: (f) => [details[f.node].iri, labels[f.node]],
    };
  }
  const sectionOf = new Map(SECTIONS.map((s) => [s.key, s]));
  SECTIONS.forEach((s) => {
    s.label = s.label || ((f) => labels[f.node]);
    s.matching = null; // indices of the rows the filter keeps (null: all)
    s.shown = 0; // rows made so far
    s.list = null; // its <ol>, once made
  });

  // Why each node is named: node -> [{kind, index, role}], role "self" (the finding is
  // about it), "evidence" (part of what the finding rests on), "proposed" (the topic
  // proposed for a candidate) or "suggested" (the topic a misfit seems to belong to).
  const reasons = new Map();

  function addReason(i, kind, index, role) {
    if (!reasons.has(i)) reasons.set(i, []);
    reasons.get(i).push({ kind: kind, index: index, role: role });
  }

  SECTIONS.forEach((s) => {
    if (s.key === "communities") return; // membership comes from the community column
    s.rows.forEach((f, k) => {
      addReason(f.node, s.key, k, "self");
      f.evidence.forEach((i) => addReason(i, s.key, k, "evidence"));
      if (s.key === "candidates" && hasTopic(f)) addReason(f.topic, s.key, k, "proposed");
      if (s.key === "misfiled") addReason(f.suggested, s.key, k, "suggested");
    });
  });

  // ------------------------------------------------------------------------------------
  // Opening a finding: select, centre, light up the evidence
  // ------------------------------------------------------------------------------------

  function openFinding(kind, k) {
    const section = sectionOf.get(kind);
    if (!section || !section.rows[k]) return;
    if (kind === "communities") {
      showCommunity(k);
      return;
    }
    const f = section.rows[k];
    selectOnly(f.node, false); // the details panel, with why; clears the last finding
    const lit = section.lit(f);
    if (lit.length > 1) {
      const hl = new Uint8Array(N);
      let hidden = false;
      for (const i of lit) {
        hl[i] = 1;
        state.pinned.add(i);
        if (!state.visible[i]) hidden = true;
      }
      state.highlight = hl;
      if (hidden) applyFilters(); // the evidence comes into view
      engine.setHighlight();
    }
    state.insight = { kind: kind, index: k };
    centreWith(f.node, lit);
    markActiveInsight();
  }

  // Centre node i, zoomed so that the other nodes are in view too.
  function centreWith(i, others) {
    const [xs, ys] = engine.positions();
    let dx = 0, dy = 0;
    for (const j of others) {
      dx = Math.max(dx, Math.abs(xs[j] - xs[i]) + radius[j] + 10);
      dy = Math.max(dy, Math.abs(ys[j] - ys[i]) + radius[j] + 10);
    }
    showBox(xs, ys, xs[i] - dx, ys[i] - dy, xs[i] + dx, ys[i] + dy);
  }

  // Show a world box, centred where it is, but no closer than a third of the whole map
  // (at least 300 units): a lone node needs its surroundings, and vis-network grows its
  // labels with the zoom.
  function showBox(xs, ys, x0, y0, x1, y1) {
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (let i = 0; i < N; i++) {
      minX = Math.min(minX, xs[i]);
      maxX = Math.max(maxX, xs[i]);
      minY = Math.min(minY, ys[i]);
      maxY = Math.max(maxY, ys[i]);
    }
    const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
    const hw = Math.max((x1 - x0) / 2, 150, (maxX - minX) / 6);
    const hh = Math.max((y1 - y0) / 2, 150, (maxY - minY) / 6);
    engine.fitBox(cx - hw, cy - hh, cx + hw, cy + hh, 0);
  }

  function showCommunity(k) {
    const community = communities[k];
    state.selected = new Set();
    hidePanel(); // no focus: the community is lit as a group
    const hl = new Uint8Array(N);
    for (const i of community.members) hl[i] = 1;
    state.highlight = hl;
    state.insight = { kind: "communities", index: k };
    applyFilters();
    engine.select();
    engine.setHighlight();
    panelBody.replaceChildren(communityDetails(k));
    panel.hidden = false;
    engine.resize();
    panelBody.scrollTop = 0;
    const [xs, ys] = engine.positions();
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const i of community.members) {
      if (!state.visible[i]) continue;
      x0 = Math.min(x0, xs[i] - radius[i]);
      y0 = Math.min(y0, ys[i] - radius[i]);
      x1 = Math.max(x1, xs[i] + radius[i]);
      y1 = Math.max(y1, ys[i] + radius[i]);
    }
    if (isFinite(x0)) showBox(xs, ys, x0, y0, x1, y1);
    markActiveInsight();
  }

  // Selects the works of a list (or a community): the page's export then holds just them.
  function selectNodes(nodes) {
    hidePanel();
    const works = nodes.filter((i) => groupOf[i] === "work");
    state.selected = new Set(works);
    const hl = new Uint8Array(N);
    for (const i of works) hl[i] = 1;
    state.highlight = works.length ? hl : null;
    applyFilters();
    engine.select();
    engine.setHighlight();
  }

  function selectAll(kind) {
    const section = sectionOf.get(kind);
    if (!section) return;
    if (kind === "communities") {
      const members = [];
      section.rows.forEach((c) => members.push(...c.members));
      selectNodes(members);
    } else {
      selectNodes(section.rows.map((f) => f.node));
    }
  }

  // ------------------------------------------------------------------------------------
  // The details panel: why a node is named, and a community's own panel
  // ------------------------------------------------------------------------------------

  function nodeList(nodes) {
    const list = el("ul", null, "kg-neighbours");
    nodes.slice(0, MAX_NEIGHBOURS).forEach((i) => {
      const item = el("li");
      item.appendChild(labelButton(i));
      list.appendChild(item);
    });
    if (nodes.length > MAX_NEIGHBOURS) {
      list.appendChild(el("li", "… and " + fmt(nodes.length - MAX_NEIGHBOURS) + " more", "kg-more"));
    }
    return list;
  }

  // A sentence with node buttons in it: parts are strings or node indices.
  function sentence(parts, className) {
    const p = el("p", null, className || "kg-why-text");
    parts.forEach((part) => {
      if (typeof part === "number") p.appendChild(labelButton(part));
      else p.appendChild(document.createTextNode(part));
    });
    return p;
  }

  function showEvidenceButton(kind, k) {
    const button = el("button", "Light up the evidence", "kg-why-show");
    button.type = "button";
    button.addEventListener("click", () => openFinding(kind, k));
    return button;
  }

  function whyOfFinding(box, kind, k) {
    const f = sectionOf.get(kind).rows[k];
    const of = fmt(sectionOf.get(kind).rows.length);
    if (kind === "candidates") {
      box.appendChild(el("p", "Candidate for the list: #" + fmt(k + 1) + " of " + of + ", score " + f.score + ".", "kg-why-text"));
      box.appendChild(el("p", "Cited by " + fmt(f.evidence.length) + " list " +
        (f.evidence.length === 1 ? "resource" : "resources") + ":", "kg-why-text"));
      box.appendChild(nodeList(f.evidence));
      box.appendChild(hasTopic(f)
        ? sentence(["Proposed topic: ", f.topic], "kg-why-text")
        : el("p", "No topic proposed: the resources citing it sit under different topics.", "kg-why-text"));
    } else if (kind === "derivatives") {
      box.appendChild(el("p", "Builds on the list: #" + fmt(k + 1) + " of " + of + ", score " + f.score +
        ". It cites " + fmt(f.evidence.length) + " list " + (f.evidence.length === 1 ? "resource" : "resources") + ":",
      "kg-why-text"));
      box.appendChild(nodeList(f.evidence));
    } else if (kind === "misfiled") {
      box.appendChild(sentence(["Filed under ", f.topic, ", but " + percent(f.agreement) +
        " of its neighbours on the list are under ", f.suggested, ":"]));
      box.appendChild(nodeList(f.evidence));
    } else if (kind === "disconnected") {
      box.appendChild(el("p", "No citation path joins this topic's resources to the rest of the list.", "kg-why-text"));
      return;
    } else if (kind === "isolated") {
      box.appendChild(el("p", "No citation links it to any other work of the field.", "kg-why-text"));
      return;
    }
    box.appendChild(showEvidenceButton(kind, k));
  }

  // How a node takes part in others' findings: [kind, role, said of one, said of n].
  const PART_IN = [
    ["candidates", "evidence", "Cites a candidate:", "Cites {n} candidates:"],
    ["candidates", "proposed", "Proposed for a candidate:", "Proposed for {n} candidates:"],
    ["derivatives", "evidence", "Cited by a derivative work:", "Cited by {n} derivative works:"],
    ["misfiled", "evidence", "A neighbour of a misfiled entry:", "A neighbour of {n} misfiled entries:"],
    ["misfiled", "suggested", "Where a misfiled entry seems to belong:", "Where {n} misfiled entries seem to belong:"],
  ];

  function appendWhy(fragment, i) {
    const named = reasons.get(i) || [];
    const community = communityOf[i];
    if (!named.length && community < 0) return;
    const box = el("section", null, "kg-why");
    box.setAttribute("aria-label", "Insights");
    box.appendChild(el("h3", "Insights"));
    named.filter((r) => r.role === "self").forEach((r) => whyOfFinding(box, r.kind, r.index));
    PART_IN.forEach(([kind, role, one, many]) => {
      const nodes = named.filter((r) => r.role === role && r.kind === kind)
        .map((r) => sectionOf.get(kind).rows[r.index].node);
      if (!nodes.length) return;
      const words = (nodes.length === 1 ? one : many).replace("{n}", fmt(nodes.length));
      box.appendChild(el("p", words, "kg-why-text"));
      box.appendChild(nodeList(nodes));
    });
    if (community >= 0) {
      const p = el("p", "Community: ", "kg-why-text");
      const button = el("button", communities[community].label || communities[community].id, "kg-why-community");
      button.type = "button";
      button.addEventListener("click", () => showCommunity(community));
      p.appendChild(button);
      p.appendChild(document.createTextNode(" (" + fmt(communities[community].members.length) + " works)"));
      box.appendChild(p);
    }
    fragment.appendChild(box);
  }

  function communityDetails(k) {
    const c = communities[k];
    const fragment = document.createDocumentFragment();
    const onList = c.members.filter((i) => listed[i]);
    const others = c.members.filter((i) => !listed[i]);
    const bySize = (a, b) => radius[b] - radius[a] || labels[a].localeCompare(labels[b]);
    fragment.appendChild(el("h2", c.label || c.id, "kg-title"));
    fragment.appendChild(el("p", "Community " + c.id + " · " + fmt(c.members.length) + " works · " +
      fmt(onList.length) + " on the list", "kg-meta"));
    const tools = el("p", null, "kg-why-tools");
    const select = el("button", "Select its works");
    select.type = "button";
    select.addEventListener("click", () => selectNodes(c.members));
    tools.appendChild(select);
    if (colourMode !== "community") {
      const colour = el("button", "Colour by community");
      colour.type = "button";
      colour.addEventListener("click", () => setColourMode("community"));
      tools.appendChild(colour);
    }
    fragment.appendChild(tools);
    [["Topics of its list resources", c.topics], ["On the list", onList.sort(bySize)], ["Other works", others.sort(bySize)]]
      .forEach(([title, nodes]) => {
        if (!nodes.length) return;
        fragment.appendChild(el("h3", title + " (" + fmt(nodes.length) + ")"));
        fragment.appendChild(nodeList(nodes));
      });
    return fragment;
  }

  // ------------------------------------------------------------------------------------
  // The view: tabs, sections, rows
  // ------------------------------------------------------------------------------------

  let viewMade = false;
  let filterInput = null;

  function showTab(name) {
    if (!insightsView) return;
    const insights = name === "insights";
    insightsTab.setAttribute("aria-selected", String(insights));
    legendTab.setAttribute("aria-selected", String(!insights));
    insightsTab.tabIndex = insights ? 0 : -1;
    legendTab.tabIndex = insights ? -1 : 0;
    if (insights && !viewMade) makeView();
    insightsView.hidden = !insights;
    legendView.hidden = insights;
    sidebar.classList.toggle("kg-wide", insights);
    sidebar.open = true;
    engine.resize();
  }

  function makeView() {
    viewMade = true;
    const fragment = document.createDocumentFragment();
    if ((found.notes || []).length) {
      const notes = el("section", null, "kg-insight-notes");
      notes.appendChild(el("h3", "What the data is too thin to say"));
      const list = el("ul");
      found.notes.forEach((note) => list.appendChild(el("li", note)));
      notes.appendChild(list);
      fragment.appendChild(notes);
    }
    const filter = el("label", "Filter ", "kg-insight-filter");
    filterInput = el("input");
    filterInput.type = "search";
    filterInput.placeholder = "title or label";
    filterInput.autocomplete = "off";
    filterInput.addEventListener("input", () => applyInsightFilter(filterInput.value));
    filter.appendChild(filterInput);
    fragment.appendChild(filter);
    let first = true;
    SECTIONS.forEach((section) => {
      fragment.appendChild(makeSection(section, first && section.rows.length > 0));
      if (section.rows.length) first = false;
    });
    insightsView.replaceChildren(fragment);
  }

  function makeSection(section, open) {
    const box = el("details", null, "kg-insight");
    box.dataset.kind = section.key;
    const summary = el("summary");
    summary.appendChild(el("span", section.title));
    const count = el("span", fmt(section.rows.length), "kg-count");
    summary.appendChild(count);
    section.count = count;
    box.appendChild(summary);
    box.appendChild(el("p", section.hint, "kg-hint"));
    if (section.key === "communities" && found.modularity !== null && found.modularity !== undefined) {
      box.appendChild(el("p", "Modularity " + found.modularity + ".", "kg-hint"));
    }
    if (!section.rows.length) {
      box.appendChild(el("p", "None found.", "kg-more"));
      return box;
    }
    const tools = el("p", null, "kg-insight-tools");
    if (section.key !== "disconnected") { // topics: no works to select
      const select = el("button", "Select all");
      select.type = "button";
      select.title = "Select its works, for the export";
      select.addEventListener("click", () => selectAll(section.key));
      tools.appendChild(select);
    }
    const csv = el("button", "CSV");
    csv.type = "button";
    csv.title = "This list as a CSV file";
    csv.addEventListener("click", () => downloadInsightCsv(section.key));
    tools.appendChild(csv);
    box.appendChild(tools);
    section.list = el("ol", null, "kg-insight-list");
    section.list.addEventListener("keydown", moveInList);
    box.appendChild(section.list);
    section.more = el("button", null, "kg-insight-more");
    section.more.type = "button";
    section.more.hidden = true;
    section.more.addEventListener("click", () => {
      const at = section.shown;
      addRows(section);
      const next = section.list.children[at];
      if (next) next.firstChild.focus();
    });
    box.appendChild(section.more);
    box.open = open;
    const firstRows = () => {
      if (section.shown === 0) addRows(section);
    };
    if (open) firstRows();
    // At the click, so the rows are there as the section opens (toggle comes a task later).
    summary.addEventListener("click", firstRows);
    box.addEventListener("toggle", () => {
      if (box.open) firstRows();
    });
    return box;
  }

  function rowsOf(section) {
    return section.matching || section.rows.map((_, k) => k);
  }

  function addRows(section) {
    const indices = rowsOf(section);
    const end = Math.min(indices.length, section.shown + CHUNK);
    const fragment = document.createDocumentFragment();
    for (let n = section.shown; n < end; n++) fragment.appendChild(makeRow(section, indices[n]));
    section.list.appendChild(fragment);
    section.shown = end;
    const left = indices.length - end;
    section.more.hidden = left <= 0;
    section.more.textContent = "Show " + fmt(Math.min(CHUNK, left)) + " more (" + fmt(left) + " left)";
    markActiveInsight();
  }

  function makeRow(section, k) {
    const f = section.rows[k];
    const item = el("li");
    const button = el("button");
    button.type = "button";
    button.dataset.kind = section.key;
    button.dataset.index = String(k);
    if (section.key === "communities") {
      button.appendChild(communitySwatch(k));
    } else {
      button.dataset.node = String(f.node);
    }
    button.appendChild(el("span", section.label(f), "kg-result-label"));
    button.appendChild(el("span", section.meta(f), "kg-result-meta"));
    button.addEventListener("click", () => openFinding(section.key, k));
    item.appendChild(button);
    return item;
  }

  // Up and Down move between the rows of a list, Home and End to its ends.
  function moveInList(event) {
    const buttons = Array.from(event.currentTarget.querySelectorAll("button"));
    const at = buttons.indexOf(document.activeElement);
    if (at < 0) return;
    const to = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: buttons.length - 1 }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    if (buttons[to]) buttons[to].focus();
  }

  function applyInsightFilter(query) {
    const q = fold(query.trim());
    SECTIONS.forEach((section) => {
      if (!section.list) return;
      section.matching = q
        ? section.rows.map((_, k) => k).filter((k) => fold(section.label(section.rows[k])).includes(q))
        : null;
      section.count.textContent = q ? fmt(section.matching.length) + " of " + fmt(section.rows.length) : fmt(section.rows.length);
      section.list.replaceChildren();
      section.shown = 0;
      if (section.list.parentElement.open) addRows(section);
    });
  }

  function markActiveInsight() {
    if (!viewMade) return;
    insightsView.querySelectorAll("button[aria-current]").forEach((b) => b.removeAttribute("aria-current"));
    const active = state.insight;
    if (!active) return;
    const row = insightsView.querySelector(
      "button[data-kind='" + active.kind + "'][data-index='" + active.index + "']"
    );
    if (row) row.setAttribute("aria-current", "true");
  }

  function insightCsv(kind) {
    const section = sectionOf.get(kind);
    const rows = [section.header.map(csvCell).join(",")];
    section.rows.forEach((f, k) => rows.push(section.csv(f, k).map(csvCell).join(",")));
    return rows.join("\r\n") + "\r\n";
  }

  function downloadInsightCsv(kind) {
    download("kg-" + kind + ".csv", new Blob([insightCsv(kind)], { type: "text/csv;charset=utf-8" }));
  }

  if (insightsView) {
    [legendTab, insightsTab].forEach((tab) => {
      tab.addEventListener("click", () => showTab(tab === insightsTab ? "insights" : "legend"));
      tab.addEventListener("keydown", (event) => {
        if (!["ArrowLeft", "ArrowRight", "Home", "End"].includes(event.key)) return;
        event.preventDefault();
        const next = tab === legendTab ? insightsTab : legendTab;
        const to = event.key === "Home" ? legendTab : event.key === "End" ? insightsTab : next;
        showTab(to === insightsTab ? "insights" : "legend");
        to.focus();
      });
    });
    document.addEventListener("keydown", (event) => {
      const target = event.target;
      if (target instanceof HTMLInputElement || target instanceof HTMLSelectElement) return;
      if (event.key === "i" && !event.ctrlKey && !event.metaKey && !event.altKey) {
        showTab("insights");
        insightsTab.focus();
      }
    });
  }

  // For window.kg (start.js).
  const insightsApi = {
    kinds: SECTIONS.map((s) => s.key),
    count: (kind) => sectionOf.get(kind).rows.length,
    showTab: showTab,
    open: openFinding,
    active: () => (state.insight ? Object.assign({}, state.insight) : null),
    selectAll: selectAll,
    csv: insightCsv,
  };
