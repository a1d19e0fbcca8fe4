// The QA page: say which graph is loaded (with example questions drawn from it), ask (also
// ?q= on load), list answers with evidence paths, draw the evidence graph, show entities.
"use strict";

const $ = (id) => document.getElementById(id);
let cy = null;

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "onclick") node.addEventListener("click", v);
    else node.setAttribute(k, v);
  }
  for (const child of children) node.append(child);
  return node;
}

function entityLink(id, label) {
  return el("span", { class: "entity-link", "data-entity": id, onclick: () => showEntity(id) }, label);
}

function pathElement(path) {
  const row = el("div", { class: "path" }, "[", entityLink(path.start, path.start_label), "] ");
  for (const hop of path.hops) {
    row.append(hop.inverse ? ` <-${hop.relation}- ` : ` -${hop.relation}-> `);
    row.append(entityLink(hop.target, hop.target_label));
  }
  row.append(el("span", { class: "muted" }, `  (${path.score.toFixed(3)})`));
  const box = el("div", {}, row);
  for (const hop of path.hops) {
    for (const sentence of hop.sentences) {
      box.append(el("div", { class: "sentence" }, `${hop.relation}: “${sentence}”`));
    }
  }
  return box;
}

function renderResult(data) {
  $("notes").replaceChildren(...data.notes.map((n) => el("li", { class: "muted" }, n)));
  $("linking").replaceChildren(...data.mentions.map((m) => el(
    "div", { class: m.ambiguous ? "ambiguous mention" : "mention muted" },
    `“${m.text}” → ${m.entities.map((e) => e.label).join(" | ")}${m.ambiguous ? " (ambiguous)" : ""}`,
  )));
  $("answers").replaceChildren(...data.answers.map((a) => {
    const item = el("li", { class: a.selected ? "answer selected" : "answer" },
      el("span", { class: "answer-label" }, entityLink(a.entity, a.label)),
      el("span", { class: "muted" }, `  ${a.score.toFixed(3)}`));
    for (const path of a.paths) item.append(pathElement(path));
    return item;
  }));
  if (!data.answers.length) $("answers").append(noAnswer(data.candidates || []));
  drawGraph(data.graph);
  $("status").textContent = `${data.method} · subgraph ${data.subgraph.nodes ?? 0} nodes`;
}

function noAnswer(candidates) {
  const item = el("li", { class: "no-answer" }, el("strong", {}, "no answer found"));
  if (!candidates.length) {
    item.append(el("div", { class: "muted" },
      "no entity of the graph was recognised in the question: name one (in [brackets]) or try an example above"));
    return item;
  }
  const list = el("div", { class: "candidates" }, "candidates: ");
  candidates.forEach((c, i) => {
    if (i) list.append(" · ");
    list.append(entityLink(c.id, c.label));
  });
  item.append(list);
  return item;
}

// Edge labels follow their edge on a white background; the layout is spread out until no two
// edge labels overlap, and a label that still would is shown only while hovering its edge.
const EDGE_LABEL_STYLE = {
  label: "data(label)", "font-size": 8, "text-rotation": "autorotate",
  "text-background-color": "#ffffff", "text-background-opacity": 0.9, "text-background-padding": 2,
  "text-margin-y": -4,
};

function labelBoxes(edges) {
  return edges.map((e) => e.boundingBox({ includeNodes: false, includeEdges: false, includeLabels: true, includeMainLabels: true }));
}

function overlapping(a, b) {
  return !(a.x2 <= b.x1 || b.x2 <= a.x1 || a.y2 <= b.y1 || b.y2 <= a.y1);
}

function crowdedEdges(edges) {
  const boxes = labelBoxes(edges);
  const crowded = new Set();
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      if (!crowded.has(i) && !crowded.has(j) && overlapping(boxes[i], boxes[j])) crowded.add(j);
    }
  }
  return [...crowded].map((i) => edges[i]);
}

const READABLE_ZOOM = 0.6;  // a layout spread so far that the text shrinks below this is not used

function layOut(spacing) {
  // a fixed box (the panel's size): otherwise breadthfirst spreads over the current view,
  // and every relayout after a zoom-out would come out wider than the last
  const box = { x1: 0, y1: 0, w: cy.width() || 400, h: cy.height() || 400 };
  cy.layout({ name: "breadthfirst", directed: false, padding: 20, spacingFactor: spacing, boundingBox: box, animate: false }).run();
  cy.fit(undefined, 20);
  return crowdedEdges(cy.edges().toArray()).length;
}

function spreadLabels() {
  let spacing = 1.25;
  let crowded = layOut(spacing);
  for (let attempt = 0; crowded && attempt < 4; attempt++) {
    const wider = spacing * 1.4;
    const crowdedWider = layOut(wider);
    if (cy.zoom() < READABLE_ZOOM) break;
    [spacing, crowded] = [wider, crowdedWider];
  }
  layOut(spacing);
  for (const edge of crowdedEdges(cy.edges().toArray())) edge.addClass("quiet");
}

function drawGraph(graph) {
  const elements = [
    ...graph.nodes.map((n) => ({ data: { id: n.id, label: n.label, role: n.role } })),
    ...graph.edges.map((e, i) => ({ data: { id: `e${i}`, source: e.source, target: e.target, label: e.relation } })),
  ];
  if (cy) cy.destroy();
  cy = cytoscape({
    container: $("graph"),
    elements,
    layout: { name: "preset" },
    style: [
      { selector: "node", style: { label: "data(label)", "font-size": 10, "background-color": "#8fa3bf", "text-wrap": "wrap", "text-max-width": 90 } },
      { selector: "node[role = 'topic']", style: { "background-color": "#2f6fde" } },
      { selector: "node[role = 'answer']", style: { "background-color": "#1f9d55" } },
      { selector: "edge", style: { ...EDGE_LABEL_STYLE, "curve-style": "bezier", "control-point-step-size": 30, "target-arrow-shape": "triangle", width: 1.5, "line-color": "#b4bccb", "target-arrow-color": "#b4bccb" } },
      { selector: "edge.quiet", style: { label: "" } },
      { selector: "edge.quiet.hover", style: { label: "data(label)", "z-index": 10 } },
    ],
  });
  spreadLabels();
  cy.on("tap", "node", (evt) => showEntity(evt.target.id()));
  cy.on("mouseover", "edge", (evt) => evt.target.addClass("hover"));
  cy.on("mouseout", "edge", (evt) => evt.target.removeClass("hover"));
  window.kgrGraph = cy;
}

async function showEntity(id) {
  const response = await fetch(`/entity/${encodeURIComponent(id)}`);
  const data = await response.json();
  const panel = $("entity-panel");
  panel.hidden = false;
  if (!response.ok) {
    $("entity-title").textContent = id;
    $("entity-meta").textContent = data.detail;
    $("entity-triples").tBodies[0].replaceChildren();
    return;
  }
  $("entity-title").textContent = data.label;
  $("entity-meta").textContent = [data.type, data.id].filter(Boolean).join(" · ");
  $("entity-triples").tBodies[0].replaceChildren(...data.triples.map((t) => {
    const row = el("tr", { class: "triple" },
      el("td", {}, entityLink(t.subject, t.subject_label)),
      el("td", { class: "muted" }, t.predicate),
      el("td", {}, entityLink(t.object, t.object_label)));
    if (t.sentences.length) {
      row.append(el("td", { class: "sentence" }, t.sentences.map((s) => `“${s}”`).join(" ")));
    }
    return row;
  }));
}

async function ask(event) {
  if (event) event.preventDefault();
  const question = $("question").value.trim();
  if (!question) return;
  $("entity-panel").hidden = true;  // a new question: the last one's entity no longer applies
  const url = new URL(window.location.href);
  url.searchParams.set("q", question);
  window.history.replaceState(null, "", url);  // the address asks this question again
  $("error").hidden = true;
  $("status").textContent = "thinking…";
  const response = await fetch("/ask", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ question, top_k: Number($("top-k").value) || 10 }),
  });
  const data = await response.json();
  if (!response.ok) {
    const detail = Array.isArray(data.detail) ? data.detail.map((d) => d.msg).join("; ") : data.detail;
    $("error").textContent = detail;
    $("error").hidden = false;
    $("status").textContent = "";
    return;
  }
  renderResult(data);
}

function plural(n, word) {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function buildText(build) {
  if (!build || build.generation === null || build.generation === undefined) return "";
  const parts = [`build ${build.generation}`];
  if (build.committed_at) parts.push(`committed ${build.committed_at}`);
  return parts.join(", ");
}

async function showGraphInfo() {
  const response = await fetch("/info");
  if (!response.ok) {
    $("graph-info").textContent = "could not read what graph is loaded";
    return;
  }
  const info = await response.json();
  const parts = [info.kind];
  if (info.documents !== null) parts.push(plural(info.documents, "document"));
  parts.push(plural(info.entities, "entity").replace(/entitys$/, "entities"), plural(info.triples, "triple"),
    plural(info.relations, "relation"), info.method);
  const build = buildText(info.build);
  if (build) parts.push(build);
  $("graph-info").replaceChildren(parts.join(" · "));
  if (info.build && info.build.newer_build_waiting) {
    $("graph-info").append(el("span", { class: "warning" },
      info.build.reload.startsWith("automatic") ? " · a newer build is being loaded" : " · a newer build exists: restart the server to serve it"));
  }
  $("examples").replaceChildren(...info.examples.map((q) => el("button", {
    type: "button", class: "example", onclick: () => { $("question").value = q; ask(); },
  }, q)));
  if (info.examples.length) $("question").placeholder = `e.g. ${info.examples[0]}`;
}

$("ask-form").addEventListener("submit", ask);
showGraphInfo();
const asked = new URLSearchParams(window.location.search).get("q");
if (asked) {
  $("question").value = asked;
  ask();
}
