/*
 * kg map page, colour by community: an option beside colour by kind in the legend. Each
 * community of the insights (payload insights.communities, largest first; the column
 * nodes.community names each node's) gets a colour, the same on both engines; a node in
 * none (a fetched work outside every community, a person, a topic) is drawn in a neutral
 * grey. While the mode is on, the legend lists the communities with their sizes, and each
 * community's label is drawn over the graph at its centre: the centroid of its shown
 * members. Labels are drawn with fillText and the legend is built with textContent: a
 * label is data, never markup.
 */

  const NEUTRAL = "#c8c8c8";
  // Tableau 10 without its grey (the neutral), then hues a golden angle apart.
  const COMMUNITY_PALETTE = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
    "#edc948", "#b07aa1", "#ff9da7", "#9c755f",
  ];
  const MAX_LEGEND_COMMUNITIES = 30; // the Insights view lists them all
  const MAX_COMMUNITY_LABELS = 40; // drawn per frame, largest first
  const COMMUNITY_LABEL_MAX = 40; // characters

  const communities = (data.insights && data.insights.communities) || [];
  const communityOf = cols.community ? Int32Array.from(cols.community) : new Int32Array(N).fill(-1);
  const communityColour = communities.map((_, k) => paletteColour(k));
  const communityLegend = $("kg-community-legend");
  let colourMode = "kind";
  let drawnCommunityLabels = []; // what the last frame drew: {community, id, text, x, y, members}

  function paletteColour(k) {
    if (k < COMMUNITY_PALETTE.length) return COMMUNITY_PALETTE[k];
    const n = k - COMMUNITY_PALETTE.length;
    return hslHex((n * 137.508 + 15) % 360, 0.55, [0.45, 0.58, 0.38][n % 3]);
  }

  function hslHex(h, s, l) {
    const a = s * Math.min(l, 1 - l);
    const channel = (n) => {
      const k = (n + h / 30) % 12;
      const value = l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
      return Math.round(value * 255).toString(16).padStart(2, "0");
    };
    return "#" + channel(0) + channel(8) + channel(4);
  }

  // The colour darkened towards black: legible text on white.
  function darker(hex, share) {
    const parts = [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16));
    return "rgb(" + parts.map((v) => Math.round(v * (1 - share))).join(",") + ")";
  }

  function setColourMode(mode) {
    if (mode !== "kind" && mode !== "community") return;
    if (mode === "community" && !communities.length) return;
    colourMode = mode;
    if (mode === "community") {
      const colours = new Array(N);
      for (let i = 0; i < N; i++) colours[i] = communityOf[i] >= 0 ? communityColour[communityOf[i]] : NEUTRAL;
      model.colours = colours;
      if (communityLegend && !communityLegend.firstChild) buildCommunityLegend();
    } else {
      model.colours = null;
      drawnCommunityLabels = [];
    }
    if (communityLegend) communityLegend.hidden = mode !== "community";
    document.querySelectorAll("input[name='kg-colour']").forEach((radio) => {
      radio.checked = radio.value === mode;
    });
    engine.setColours();
  }

  function communitySwatch(k) {
    const swatch = el("span", null, "kg-swatch kg-shape-dot");
    swatch.style.backgroundColor = k >= 0 ? communityColour[k] : NEUTRAL;
    return swatch;
  }

  function buildCommunityLegend() {
    const list = el("ul");
    communities.slice(0, MAX_LEGEND_COMMUNITIES).forEach((community, k) => {
      const button = el("button", null, "kg-community");
      button.type = "button";
      button.dataset.community = String(k);
      button.appendChild(communitySwatch(k));
      button.appendChild(el("span", community.label || community.id, "kg-community-label"));
      button.appendChild(el("span", fmt(community.members.length), "kg-count"));
      button.addEventListener("click", () => showCommunity(k));
      const item = el("li");
      item.appendChild(button);
      list.appendChild(item);
    });
    if (communities.length > MAX_LEGEND_COMMUNITIES) {
      const more = communities.length - MAX_LEGEND_COMMUNITIES;
      list.appendChild(el("li", "… and " + fmt(more) + " smaller (Insights lists them all)", "kg-more"));
    }
    let outside = 0;
    for (let i = 0; i < N; i++) if (communityOf[i] < 0) outside++;
    const item = el("li", null, "kg-community-none");
    item.appendChild(communitySwatch(-1));
    item.appendChild(el("span", "in no community", "kg-community-label"));
    item.appendChild(el("span", fmt(outside), "kg-count"));
    list.appendChild(item);
    communityLegend.appendChild(list);
  }

  document.querySelectorAll("input[name='kg-colour']").forEach((radio) => {
    radio.addEventListener("change", () => {
      if (radio.checked) setColourMode(radio.value);
    });
  });

  function shortCommunityLabel(text) {
    return text.length <= COMMUNITY_LABEL_MAX ? text : text.slice(0, COMMUNITY_LABEL_MAX - 1).trimEnd() + "…";
  }

  // Each community's label at the centroid of its shown members, over the graph (an engine
  // hook: pixels, pixel = world * scale + offset). A label that would cover one drawn
  // before it moves down a line or two, or is left out.
  function drawCommunityLabels(ctx, view) {
    drawnCommunityLabels = [];
    if (colourMode !== "community") return;
    const [xs, ys] = engine.positions();
    const placed = [];
    const overlaps = (box) => placed.some((b) => box[0] < b[2] && box[2] > b[0] && box[1] < b[3] && box[3] > b[1]);
    ctx.save();
    ctx.font = "600 13px system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Noto Sans CJK SC', sans-serif";
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    ctx.lineJoin = "round";
    ctx.lineWidth = 4;
    for (let k = 0; k < communities.length && drawnCommunityLabels.length < MAX_COMMUNITY_LABELS; k++) {
      let sx = 0, sy = 0, shown = 0;
      for (const i of communities[k].members) {
        if (!state.visible[i]) continue;
        sx += xs[i];
        sy += ys[i];
        shown++;
      }
      if (!shown) continue;
      const x = (sx / shown) * view.scale + view.ox;
      const y = (sy / shown) * view.scale + view.oy;
      if (x < -100 || x > view.width + 100 || y < -20 || y > view.height + 20) continue;
      const text = shortCommunityLabel(communities[k].label || communities[k].id);
      const half = ctx.measureText(text).width / 2 + 3;
      let at = null;
      for (let step = 0; step < 3 && at === null; step++) {
        const ty = y + step * 17;
        const box = [x - half, ty - 9, x + half, ty + 9];
        if (!overlaps(box)) {
          placed.push(box);
          at = ty;
        }
      }
      if (at === null) continue;
      ctx.strokeStyle = "rgba(255,255,255,0.92)";
      ctx.strokeText(text, x, at);
      ctx.fillStyle = darker(communityColour[k], 0.45);
      ctx.fillText(text, x, at);
      drawnCommunityLabels.push({ community: k, id: communities[k].id, text: text, x: x, y: y, members: shown });
    }
    ctx.restore();
  }
