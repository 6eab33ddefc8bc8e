/* kg map page, export.js: Export: the selection (or what is shown) as CSV or BibTeX, the view as PNG.
 * A section of the interface (see page.js): it shares the one scope of page.js. */

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
