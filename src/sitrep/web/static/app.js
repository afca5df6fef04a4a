// The page: loads events through the API, filters them (server side by type, actor, country,
// text and ACLED scope; here by the time slider), and keeps map, table and evidence panel in step.

import { clear, el, getJSON } from "./dom.js";
import { colourFor, TYPE_COLOURS, WorldMap } from "./map.js";
import { renderDetails, renderSituation } from "./panels.js";

const DAY = 86400000;
const state = { events: [], shown: [], days: [], selected: null };
const $ = (id) => document.getElementById(id);

function toDay(iso) { return Math.round(Date.parse(iso + "T00:00:00Z") / DAY); }
function fromDay(day) { return new Date(day * DAY).toISOString().slice(0, 10); }
function actorName(actor) { return actor ? actor.name : ""; }

function filterQuery() {
  const params = new URLSearchParams({ limit: "5000" });
  const fields = { type: "f-type", actor: "f-actor", country: "f-country", q: "f-text" };
  for (const [param, id] of Object.entries(fields)) {
    const value = $(id).value.trim();
    if (value) params.set(param, param === "country" ? value.toUpperCase() : value);
  }
  if ($("f-acled").checked) params.set("acled_only", "true");
  return params;
}

async function loadEvents() {
  const body = await getJSON("/api/events?" + filterQuery());
  state.events = body.events.sort((a, b) => a.event_date.localeCompare(b.event_date));
  resetSlider();
  map.setEvents(state.events);
  applyTime();
  map.fitEvents(state.shown);
}

function resetSlider() {
  const days = state.events.flatMap((e) => [toDay(e.event_date), toDay(e.date_end || e.event_date)]);
  const lo = days.length ? Math.min(...days) : 0;
  const hi = days.length ? Math.max(...days) : 0;
  for (const [id, value] of [["time-from", lo], ["time-to", hi]]) {
    Object.assign($(id), { min: lo, max: hi, value });
    $(id).disabled = !days.length;
  }
}

function timeWindow() {
  let from = Number($("time-from").value);
  let to = Number($("time-to").value);
  if (from > to) [from, to] = [to, from];
  return [from, to];
}

function applyTime() {
  const [from, to] = timeWindow();
  $("time-from-label").value = state.events.length ? fromDay(from) : "";
  $("time-to-label").value = state.events.length ? fromDay(to) : "";
  // An event dated to an interval (a week, a month) shows while the interval overlaps.
  state.shown = state.events.filter(
    (e) => toDay(e.event_date) <= to && toDay(e.date_end || e.event_date) >= from);
  const visible = new Set(state.shown.map((e) => e.id));
  for (const [id, node] of map.nodes) node.classList.toggle("hidden", !visible.has(id));
  $("shown").textContent = `${state.shown.length} of ${state.events.length} events`;
  renderTable();
}

function cell(text, attrs = {}) { return el("td", attrs, text ?? ""); }

function renderTable() {
  const body = clear($("event-rows"));
  for (const e of state.shown) {
    const loc = e.location || {};
    body.append(el("tr", {
      "data-id": e.id, tabindex: 0, class: e.id === state.selected ? "selected" : null,
      onclick: () => select(e, "table"),
      onkeydown: (ev) => { if (ev.key === "Enter") select(e, "table"); },
    },
      cell(e.event_date),
      el("td", {}, el("span", { class: "swatch", style: `background:${colourFor(e.event_type)}` }),
         e.event_type),
      cell(e.sub_event_type), cell(actorName(e.actor1)), cell(actorName(e.actor2)),
      cell([loc.name, loc.country].filter(Boolean).join(", ")),
      cell(e.fatalities, { class: "num" }), cell(e.factuality, { class: `fact-${e.factuality}` }),
    ));
  }
  if (!state.shown.length) body.append(el("tr", {}, el("td", { colspan: 8, class: "hint" },
    "No events match.")));
}

function select(event, from) {
  state.selected = event.id;
  map.highlight(event.id);
  for (const row of $("event-rows").rows) row.classList.toggle("selected", row.dataset.id === event.id);
  if (from === "table") map.focus(event);
  else {
    const row = $("event-rows").querySelector(`tr[data-id="${CSS.escape(event.id)}"]`);
    if (row) row.scrollIntoView({ block: "nearest" });
  }
  renderDetails($("details"), event);
}

function renderLegend() {
  const legend = clear($("legend"));
  for (const [type, colour] of Object.entries(TYPE_COLOURS)) {
    legend.append(el("li", {}, el("span", { class: "swatch", style: `background:${colour}` }), type));
    $("f-type").append(el("option", { value: type }, type));
  }
}

async function loadSituation() {
  // The situation follows the country and actor filters, not the type or text ones.
  const params = new URLSearchParams();
  const query = filterQuery();
  for (const key of ["country", "actor"]) if (query.has(key)) params.set(key, query.get(key));
  const body = await getJSON("/api/situation?" + params);
  renderSituation($("situation-body"), body.facts);
}

async function loadSide() {
  const stats = await getJSON("/api/stats");
  $("stats").textContent = Object.entries(stats)
    .filter(([, v]) => typeof v === "number").map(([k, v]) => `${v} ${k}`).join(" · ");
  const countries = new Set(state.events.map((e) => e.location && e.location.country).filter(Boolean));
  const list = clear($("countries"));
  for (const code of [...countries].sort()) list.append(el("option", { value: code }));
}

function debounce(fn, ms) {
  let timer;
  return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
}

function showError(err) {
  $("stats").textContent = `Error: ${err.message}`;
}

const map = new WorldMap($("map"), { onSelect: select });

async function main() {
  renderLegend();
  const reload = debounce(() => Promise.all([loadEvents(), loadSituation()]).catch(showError), 250);
  $("filters").addEventListener("input", reload);
  $("filters").addEventListener("reset", () => setTimeout(reload, 0));
  $("filters").addEventListener("submit", (ev) => { ev.preventDefault(); reload(); });
  for (const id of ["time-from", "time-to"]) $(id).addEventListener("input", applyTime);
  $("zoom-in").addEventListener("click", () => map.zoomCentre(1.6));
  $("zoom-out").addEventListener("click", () => map.zoomCentre(1 / 1.6));
  $("zoom-fit").addEventListener("click", () => map.fitEvents(state.shown));
  const outlines = getJSON("/api/basemap").then((c) => map.setOutlines(c));
  await loadEvents();
  await Promise.all([outlines, loadSide(), loadSituation()]);
  document.body.dataset.ready = "true";  // tests wait for this
}

main().catch(showError);
