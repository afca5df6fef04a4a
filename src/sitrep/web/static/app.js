// The page: loads events through the API, filters them (server side by type, actor, country,
// text and ACLED scope; here by the time slider and the background toggle), and keeps map,
// table, trend chart and evidence panel in step.

import { clear, el, getJSON } from "./dom.js";
import { colourFor, TYPE_COLOURS, WorldMap } from "./map.js";
import { renderDetails, renderSituation } from "./panels.js";
import { drawTrend } from "./trend.js";

const DAY = 86400000;
const PAGE = 1000;        // the API's largest page
const MAX_EVENTS = 5000;  // what the map and table hold; the trend counts every match
const state = { events: [], shown: [], weeks: [], selected: null, sort: { key: "date", dir: -1 } };
const $ = (id) => document.getElementById(id);

function toDay(iso) { return Math.round(Date.parse(iso + "T00:00:00Z") / DAY); }
function fromDay(day) { return new Date(day * DAY).toISOString().slice(0, 10); }
function actorName(actor) { return actor ? actor.name : ""; }
function showBackground() { return $("f-background").checked; }

function filterQuery() {
  const params = new URLSearchParams();
  const fields = { type: "f-type", actor: "f-actor", country: "f-country", q: "f-text" };
  for (const [param, id] of Object.entries(fields)) {
    const value = $(id).value.trim();
    if (value) params.set(param, value);
  }
  if ($("f-acled").checked) params.set("acled_only", "true");
  return params;
}

// Follows the API's `next` links until MAX_EVENTS; background events come too, for the evidence.
async function fetchEvents(params) {
  const query = new URLSearchParams(params);
  query.set("limit", String(PAGE));
  let url = "/api/events?" + query;
  const events = [];
  let total = "0";
  while (url && events.length < MAX_EVENTS) {
    const body = await getJSON(url);
    events.push(...body.events);
    total = body.total_exact === false ? `${body.total}+` : String(body.total);  // counted up to a cap
    url = body.next;
  }
  return { events, total };
}

let generation = 0;  // a slow answer to an older filter must not overwrite a newer one

async function loadEvents() {
  const mine = ++generation;
  const params = filterQuery();
  const trendParams = new URLSearchParams(params);
  trendParams.set("background", showBackground() ? "include" : "exclude");
  const [{ events, total }, trend] = await Promise.all([
    fetchEvents(params), getJSON("/api/trend?" + trendParams)]);
  if (mine !== generation) return;
  state.events = events;
  state.total = total;
  state.weeks = trend.weeks;
  $("filter-error").textContent = "";
  refresh({ fit: true });
}

// The events the map and table may show: background ones only when asked for.
function candidates() {
  return showBackground() ? state.events : state.events.filter((e) => !e.background);
}

function refresh({ fit = false } = {}) {
  resetSlider();
  map.setEvents(candidates());
  applyTime();
  if (fit) map.fitEvents(state.shown);
}

// The slider spans the dates of the events on show: the news, not the history it recalls.
function resetSlider() {
  const days = candidates().flatMap((e) => [toDay(e.event_date), toDay(e.date_end || e.event_date)]);
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
  const pool = candidates();
  $("time-from-label").value = pool.length ? fromDay(from) : "";
  $("time-to-label").value = pool.length ? fromDay(to) : "";
  // An event dated to an interval (a week, a month) shows while the interval overlaps.
  state.shown = pool.filter(
    (e) => toDay(e.event_date) <= to && toDay(e.date_end || e.event_date) >= from);
  const visible = new Set(state.shown.map((e) => e.id));
  for (const [id, node] of map.nodes) node.classList.toggle("hidden", !visible.has(id));
  const hiddenBackground = state.events.filter((e) => e.background).length;
  const more = state.total !== String(state.events.length)
    ? ` (first ${state.events.length} of ${state.total} loaded)` : "";
  $("shown").textContent = `${state.shown.length} of ${pool.length} events${more}` +
    (!showBackground() && hiddenBackground ? `; ${hiddenBackground} background hidden` : "");
  renderTable();
  drawTrend($("trend"), state.weeks, pool.length ? [fromDay(from), fromDay(to)] : null);
}

function cell(text, attrs = {}) { return el("td", attrs, text ?? ""); }

const SORT_KEYS = {
  date: (e) => e.event_date,
  type: (e) => e.event_type,
  sub: (e) => e.sub_event_type,
  actor1: (e) => actorName(e.actor1).toLowerCase(),
  actor2: (e) => actorName(e.actor2).toLowerCase(),
  location: (e) => ((e.location && e.location.name) || "").toLowerCase(),
  fatalities: (e) => (e.fatalities == null ? -1 : e.fatalities),
  factuality: (e) => e.factuality,
};

function sorted(events) {
  const { key, dir } = state.sort;
  const value = SORT_KEYS[key];
  // Ties keep the API's order (newest first), so a sort by type lists each type newest first.
  return events.map((e, i) => [e, i]).sort(([a, i], [b, j]) => {
    const x = value(a);
    const y = value(b);
    return (x < y ? -1 : x > y ? 1 : 0) * dir || i - j;
  }).map(([e]) => e);
}

function renderHeaders() {
  for (const th of document.querySelectorAll("#events th[data-sort]")) {
    const active = th.dataset.sort === state.sort.key;
    th.setAttribute("aria-sort", active ? (state.sort.dir < 0 ? "descending" : "ascending") : "none");
  }
}

function sortBy(key) {
  const same = state.sort.key === key;
  // Dates and fatalities read best largest first; words, A to Z.
  const first = key === "date" || key === "fatalities" ? -1 : 1;
  state.sort = { key, dir: same ? -state.sort.dir : first };
  renderHeaders();
  renderTable();
}

function renderTable() {
  const body = clear($("event-rows"));
  for (const e of sorted(state.shown)) {
    const loc = e.location || {};
    body.append(el("tr", {
      "data-id": e.id, tabindex: 0,
      class: [e.id === state.selected ? "selected" : "", e.background ? "background" : ""]
        .filter(Boolean).join(" ") || null,
      onclick: () => select(e, "table"),
      onkeydown: (ev) => { if (ev.key === "Enter") select(e, "table"); },
    },
      cell(e.event_date),
      el("td", {}, el("span", { class: "swatch", style: `background:${colourFor(e.event_type)}` }),
         e.event_type),
      cell(e.sub_event_type), cell(actorName(e.actor1)), cell(actorName(e.actor2)),
      cell([loc.name, loc.country].filter(Boolean).join(", ")),
      cell(e.fatalities, { class: "num" }),
      cell(e.factuality + (e.background ? ", background" : ""), { class: `fact-${e.factuality}` }),
    ));
  }
  if (!state.shown.length) body.append(el("tr", {}, el("td", { colspan: 8, class: "hint" },
    "No events match.")));
}

// Background events told in the same articles as `event`: the history the news recalls.
function backgroundOf(event) {
  const articles = new Set(event.article_ids || []);
  return state.events.filter((e) => e.background && e.id !== event.id
    && (e.article_ids || []).some((a) => articles.has(a)));
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
  renderDetails($("details"), event, backgroundOf(event), (e) => select(e, "background"));
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

// A filter the API refuses (an unknown country while it is being typed) says so by the filters
// and leaves the last good result on screen.
function showError(err) {
  $("filter-error").textContent = err.message;
}

const map = new WorldMap($("map"), { onSelect: select });

async function main() {
  renderLegend();
  renderHeaders();
  const reload = debounce(() => Promise.all([loadEvents(), loadSituation()]).catch(showError), 250);
  $("filters").addEventListener("input", (ev) => {
    if (ev.target.id === "f-background") return;  // shown or hidden here, no reload
    reload();
  });
  $("f-background").addEventListener("change", () => {
    refresh({ fit: true });
    const params = filterQuery();
    params.set("background", showBackground() ? "include" : "exclude");
    getJSON("/api/trend?" + params).then((t) => { state.weeks = t.weeks; applyTime(); }).catch(showError);
  });
  $("filters").addEventListener("reset", () => setTimeout(() => { refresh(); reload(); }, 0));
  $("filters").addEventListener("submit", (ev) => { ev.preventDefault(); reload(); });
  for (const id of ["time-from", "time-to"]) $(id).addEventListener("input", applyTime);
  for (const th of document.querySelectorAll("#events th[data-sort]")) {
    th.addEventListener("click", () => sortBy(th.dataset.sort));
    th.addEventListener("keydown", (ev) => { if (ev.key === "Enter") sortBy(th.dataset.sort); });
  }
  $("zoom-in").addEventListener("click", () => map.zoomCentre(1.6));
  $("zoom-out").addEventListener("click", () => map.zoomCentre(1 / 1.6));
  $("zoom-fit").addEventListener("click", () => map.fitEvents(state.shown));
  new ResizeObserver(debounce(() => applyTime(), 100)).observe($("trend"));
  const outlines = getJSON("/api/basemap").then((c) => map.setOutlines(c));
  await loadEvents();
  await Promise.all([outlines, loadSide(), loadSituation()]);
  document.body.dataset.ready = "true";  // tests wait for this
}

main().catch((err) => { $("stats").textContent = `Error: ${err.message}`; });
