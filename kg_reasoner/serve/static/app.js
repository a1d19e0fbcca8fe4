// The QA page: ask, list answers with evidence paths, draw the evidence graph, show entities.
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
  if (!data.answers.length) $("answers").append(el("li", { class: "muted" }, "no answer"));
  drawGraph(data.graph);
  $("status").textContent = `${data.method} · subgraph ${data.subgraph.nodes ?? 0} nodes`;
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
    layout: { name: "breadthfirst", directed: false, padding: 20, spacingFactor: 1.1 },
    style: [
      { selector: "node", style: { label: "data(label)", "font-size": 10, "background-color": "#8fa3bf", "text-wrap": "wrap", "text-max-width": 90 } },
      { selector: "node[role = 'topic']", style: { "background-color": "#2f6fde" } },
      { selector: "node[role = 'answer']", style: { "background-color": "#1f9d55" } },
      { selector: "edge", style: { label: "data(label)", "font-size": 8, "curve-style": "bezier", "target-arrow-shape": "triangle", width: 1.5, "line-color": "#b4bccb", "target-arrow-color": "#b4bccb" } },
    ],
  });
  cy.on("tap", "node", (evt) => showEntity(evt.target.id()));
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
  event.preventDefault();
  const question = $("question").value.trim();
  if (!question) return;
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

$("ask-form").addEventListener("submit", ask);
