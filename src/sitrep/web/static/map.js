// The map: country outlines and event markers in SVG, Web Mercator, with pan and zoom.
// World coordinates are (x, y) = project(lon, lat) in degree-sized units; one transform on the
// outline group places them on screen, and markers are placed in screen pixels so that they
// keep their size when zooming.

import { clear, svg } from "./dom.js";

export const TYPE_COLOURS = {
  "Battles": "#d62728",
  "Explosions/Remote violence": "#ff7f0e",
  "Violence against civilians": "#9467bd",
  "Protests": "#2ca02c",
  "Riots": "#8c564b",
  "Strategic developments": "#1f77b4",
};
export const OTHER_COLOUR = "#7f7f7f";
const MIN_SCALE = 1;      // pixels per degree
const MAX_SCALE = 4000;

const SPREAD_PX = 9;  // events at the same spot are fanned out on a ring this wide

// Screen offsets that fan out events sharing one coordinate (a country's centroid often
// carries several), so that each marker stays clickable.
function spreadOffsets(events) {
  const groups = new Map();
  for (const e of events) {
    const key = `${e.location.lat},${e.location.lon}`;
    groups.set(key, [...(groups.get(key) || []), e.id]);
  }
  const offsets = new Map();
  for (const ids of groups.values()) {
    ids.forEach((id, i) => {
      const angle = (2 * Math.PI * i) / ids.length;
      const r = ids.length > 1 ? SPREAD_PX : 0;
      offsets.set(id, [r * Math.cos(angle), r * Math.sin(angle)]);
    });
  }
  return offsets;
}

export function colourFor(type) {
  return TYPE_COLOURS[type] || OTHER_COLOUR;
}

const MAX_LAT = 85;  // Mercator runs to infinity at the poles

export function project(lon, lat) {
  const phi = (Math.max(-MAX_LAT, Math.min(MAX_LAT, lat)) * Math.PI) / 180;
  return [lon, (-Math.log(Math.tan(Math.PI / 4 + phi / 2)) * 180) / Math.PI];
}

function ringPath(ring) {
  return "M" + ring.map(([lon, lat]) => project(lon, lat).map((v) => v.toFixed(2)).join(","))
    .join("L") + "Z";
}

function geometryPath(geometry) {
  if (!geometry) return "";
  const polygons = geometry.type === "Polygon" ? [geometry.coordinates]
    : geometry.type === "MultiPolygon" ? geometry.coordinates : [];
  return polygons.map((rings) => rings.map(ringPath).join("")).join("");
}

export class WorldMap {
  constructor(root, { onSelect }) {
    this.root = root;
    this.onSelect = onSelect;
    this.view = { k: 2, tx: 360, ty: 180 };
    this.events = [];
    this.nodes = new Map();
    this.offsets = new Map();
    this.selected = null;
    this.root.append(
      svg("rect", { class: "sea", x: 0, y: 0, width: "100%", height: "100%" }),
      (this.world = svg("g", { class: "world" })),
      (this.markers = svg("g", { class: "markers" })),
    );
    this.listen();
    new ResizeObserver(() => this.render()).observe(this.root);
  }

  setOutlines(collection) {
    clear(this.world);
    for (const feature of collection.features) {
      const name = feature.properties.name || "";
      this.world.append(svg("path", {
        class: "country", d: geometryPath(feature.geometry),
        "data-iso": feature.properties.iso_a2 || "",
      }, svg("title", {}, name)));
    }
  }

  setEvents(events) {
    this.events = events.filter((e) => e.location && e.location.lat != null && e.location.lon != null);
    clear(this.markers);
    this.nodes = new Map();
    this.offsets = spreadOffsets(this.events);
    for (const event of this.events) {
      const node = svg("circle", {
        class: "marker", r: 6, fill: colourFor(event.event_type), "data-id": event.id,
        "data-type": event.event_type, tabindex: 0,
        onclick: (ev) => { ev.stopPropagation(); this.onSelect(event, "map"); },
        onkeydown: (ev) => { if (ev.key === "Enter") this.onSelect(event, "map"); },
      }, svg("title", {}, `${event.event_date} ${event.event_type}: ${event.location.name}`));
      this.nodes.set(event.id, node);
      this.markers.append(node);
    }
    this.highlight(this.selected);
    this.render();
  }

  highlight(id) {
    this.selected = id;
    for (const [key, node] of this.nodes) {
      node.classList.toggle("selected", key === id);
      if (key === id) this.markers.append(node);  // draw it on top
    }
  }

  size() {
    const box = this.root.getBoundingClientRect();
    return { w: box.width || 800, h: box.height || 400 };
  }

  render() {
    const { k, tx, ty } = this.view;
    this.world.setAttribute("transform", `translate(${tx} ${ty}) scale(${k})`);
    for (const event of this.events) {
      const [x, y] = project(event.location.lon, event.location.lat);
      const [dx, dy] = this.offsets.get(event.id);
      const node = this.nodes.get(event.id);
      node.setAttribute("cx", (tx + k * x + dx).toFixed(1));
      node.setAttribute("cy", (ty + k * y + dy).toFixed(1));
    }
  }

  fitBounds(west, south, east, north) {
    const { w, h } = this.size();
    const [x0, y0] = project(west, north);
    const [x1, y1] = project(east, south);
    const k = Math.min(w / Math.max(x1 - x0, 0.5), h / Math.max(y1 - y0, 0.5)) * 0.8;
    this.view.k = Math.min(Math.max(k, MIN_SCALE), MAX_SCALE);
    this.centreAt((x0 + x1) / 2, (y0 + y1) / 2);
  }

  fitEvents(events) {
    const located = events.filter((e) => e.location && e.location.lat != null);
    if (!located.length) return this.fitBounds(-180, -60, 180, 80);
    const lons = located.map((e) => e.location.lon);
    const lats = located.map((e) => e.location.lat);
    // Pad so that a single event still shows its surroundings.
    this.fitBounds(Math.min(...lons) - 3, Math.min(...lats) - 3,
                   Math.max(...lons) + 3, Math.max(...lats) + 3);
  }

  centreOn(lon, lat) {
    this.centreAt(...project(lon, lat));
  }

  centreAt(x, y) {
    const { w, h } = this.size();
    this.view.tx = w / 2 - this.view.k * x;
    this.view.ty = h / 2 - this.view.k * y;
    this.render();
  }

  focus(event) {
    if (!event.location || event.location.lat == null) return;
    this.view.k = Math.max(this.view.k, 40);
    this.centreOn(event.location.lon, event.location.lat);
  }

  zoomAt(px, py, factor) {
    const k = Math.min(Math.max(this.view.k * factor, MIN_SCALE), MAX_SCALE);
    const f = k / this.view.k;
    this.view = { k, tx: px - (px - this.view.tx) * f, ty: py - (py - this.view.ty) * f };
    this.render();
  }

  zoomCentre(factor) {
    const { w, h } = this.size();
    this.zoomAt(w / 2, h / 2, factor);
  }

  listen() {
    this.root.addEventListener("wheel", (ev) => {
      ev.preventDefault();
      const box = this.root.getBoundingClientRect();
      this.zoomAt(ev.clientX - box.left, ev.clientY - box.top, Math.exp(-ev.deltaY * 0.002));
    }, { passive: false });
    let drag = null;
    this.root.addEventListener("pointerdown", (ev) => {
      if (ev.target.classList.contains("marker")) return;
      drag = { x: ev.clientX, y: ev.clientY, tx: this.view.tx, ty: this.view.ty };
      this.root.setPointerCapture(ev.pointerId);
      this.root.classList.add("dragging");
    });
    this.root.addEventListener("pointermove", (ev) => {
      if (!drag) return;
      this.view.tx = drag.tx + ev.clientX - drag.x;
      this.view.ty = drag.ty + ev.clientY - drag.y;
      this.render();
    });
    const stop = () => { drag = null; this.root.classList.remove("dragging"); };
    this.root.addEventListener("pointerup", stop);
    this.root.addEventListener("pointercancel", stop);
  }
}
