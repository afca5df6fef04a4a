// The side panels: one event with its evidence, and the situation (control, force levels).

import { clear, el, getJSON } from "./dom.js";

const articles = new Map();  // article id -> promise of the article

function article(id) {
  if (!articles.has(id)) {
    articles.set(id, getJSON(`/api/articles/${encodeURIComponent(id)}`).catch(() => null));
  }
  return articles.get(id);
}

function actorText(actor) {
  if (!actor) return "—";
  const extra = [actor.type, actor.country].filter(Boolean).join(", ");
  return extra ? `${actor.name} (${extra})` : actor.name;
}

function quantityText(q) {
  const range = q.value != null ? String(q.value)
    : [q.low, q.high].map((v) => (v == null ? "?" : v)).join("–");
  return `${q.approximate ? "about " : ""}${range} ${q.unit || ""}${q.of ? ` (${q.of})` : ""}`;
}

function row(label, value, { optional = false } = {}) {
  if (optional && (value === null || value === undefined || value === "")) return [];
  return [el("dt", {}, label), el("dd", {}, value ?? "—")];
}

function dateText(e) {
  const span = e.date_end && e.date_end !== e.event_date ? `${e.event_date} – ${e.date_end}` : e.event_date;
  return `${span} (${e.date_precision})`;
}

function locationText(loc) {
  if (!loc) return "—";
  const parts = [loc.name, loc.admin2, loc.admin1, loc.country].filter(Boolean);
  return `${parts.join(", ")} · precision ${loc.geo_precision}`;
}

function flags(e) {
  return el("p", { class: "flags" },
    el("span", { class: `badge fact-${e.factuality}` }, e.factuality),
    e.background ? el("span", { class: "badge background" }, "background") : null,
    el("span", { class: "badge" }, `confidence ${Number(e.confidence).toFixed(2)}`));
}

function attributionList(items) {
  if (!items || !items.length) return el("p", { class: "hint" }, "Asserted in the text's own voice.");
  return el("ul", { class: "attribution" },
    items.map((a) => el("li", {}, `${a.source} — ${a.kind}`)));
}

function safeLink(url, text) {
  // Only web links: a javascript: URL from an article must not become clickable.
  return /^https?:\/\//i.test(url || "") ? el("a", { href: url, rel: "noopener noreferrer",
    target: "_blank" }, text) : text;
}

function evidenceItem(ev) {
  const source = el("p", { class: "source" }, `article ${ev.article_id}`);
  article(ev.article_id).then((a) => {
    if (!a) return;
    const label = [a.outlet, a.published, a.title].filter(Boolean).join(" · ");
    clear(source).append(safeLink(a.url, label || a.id), ` (article ${ev.article_id})`);
  });
  return el("li", {}, el("blockquote", { class: "evidence-sentence" }, ev.sentence), source);
}

// Background events (history the article recalls) are listed with the news that told them.
function backgroundList(items, onPick) {
  if (!items.length) return [];
  return [el("h3", {}, "Background in the same articles"),
    el("ul", { id: "background-events" }, items.map((b) => el("li", {},
      el("a", { href: "#", "data-id": b.id,
                onclick: (ev) => { ev.preventDefault(); onPick(b); } },
         `${b.event_date} ${b.event_type}: ${b.sub_event_type}`),
      b.location && b.location.name ? ` in ${b.location.name}` : null)))];
}

export function renderDetails(panel, e, background = [], onPick = () => {}) {
  clear(panel).append(
    el("h2", {}, `${e.event_type}: ${e.sub_event_type}`),
    flags(e),
    el("dl", {},
      row("Date", dateText(e)), row("Where", locationText(e.location)),
      row("Actor 1", actorText(e.actor1)), row("Actor 2", actorText(e.actor2)),
      row("Fatalities", e.fatalities),
      row("PLOVER", e.plover ? `${e.plover.event_type}${e.plover.mode ? " / " + e.plover.mode : ""}` : null,
          { optional: true }),
      row("Numbers", (e.quantities || []).map(quantityText).join("; "), { optional: true })),
    el("h3", {}, "Attribution"), attributionList(e.attribution),
    el("h3", {}, "Evidence"),
    el("ol", { id: "evidence" }, (e.evidence || []).map(evidenceItem)),
    ...backgroundList(background, onPick),
    el("p", { class: "hint" }, `id ${e.id}`),
  );
}

function controlText(f) {
  const place = f.place ? f.place.name : "?";
  const who = f.controller ? f.controller.name : "?";
  return `${place}: held by ${who}${f.since ? ` since ${f.since}` : ""}`;
}

function forceText(f) {
  const who = f.actor && f.actor.name ? f.actor.name : f.actor || "?";
  const value = quantityText({ value: f.value, low: f.low, high: f.high, approximate: f.approximate });
  return `${who} in ${f.country || "?"}: ${value.trim()}${f.as_of ? ` as of ${f.as_of}` : ""}`;
}

function factItem(f, text) {
  const first = (f.evidence || [])[0];
  return el("li", { class: `fact ${f.kind}` }, text,
    first ? el("blockquote", { class: "evidence-sentence small" }, first.sentence) : null,
    f.attribution && f.attribution.length
      ? el("span", { class: "hint" }, ` per ${f.attribution.map((a) => a.source).join(", ")}`) : null);
}

export function renderSituation(panel, facts) {
  clear(panel);
  const control = facts.filter((f) => f.kind === "control");
  const forces = facts.filter((f) => f.kind === "force_level");
  if (!facts.length) panel.append(el("p", { class: "hint" }, "No situation facts stored."));
  if (control.length) panel.append(el("h3", {}, "Control"),
    el("ul", {}, control.map((f) => factItem(f, controlText(f)))));
  if (forces.length) panel.append(el("h3", {}, "Force levels"),
    el("ul", {}, forces.map((f) => factItem(f, forceText(f)))));
}
