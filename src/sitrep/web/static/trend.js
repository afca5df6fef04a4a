// The weekly trend: events per week (from Monday) by type, as stacked bars in plain SVG.
// The weeks come from /api/trend, counted over every event that matches the filters, not only
// the ones the page has loaded.

import { clear, svg } from "./dom.js";
import { colourFor } from "./map.js";

const WEEK = 7 * 86400000;
const PAD = { left: 36, right: 8, top: 8, bottom: 22 };

function weekNumber(iso) { return Math.round(Date.parse(iso + "T00:00:00Z") / WEEK); }

// Every week from the first to the last, empty ones included, so that gaps show as gaps.
function fillWeeks(weeks) {
  if (!weeks.length) return [];
  const byWeek = new Map(weeks.map((w) => [w.week, w]));
  const first = Date.parse(weeks[0].week + "T00:00:00Z");
  const last = Date.parse(weeks[weeks.length - 1].week + "T00:00:00Z");
  const filled = [];
  for (let t = first; t <= last; t += WEEK) {
    const iso = new Date(t).toISOString().slice(0, 10);
    filled.push(byWeek.get(iso) || { week: iso, counts: {}, total: 0 });
  }
  return filled;
}

function niceMax(n) {
  if (n <= 5) return Math.max(n, 1);
  const step = 10 ** Math.floor(Math.log10(n));
  return Math.ceil(n / step) * step;
}

// Draws the chart into `root` (an <svg>); `window` is [fromISO, toISO] of the time slider.
export function drawTrend(root, weeks, window) {
  clear(root);
  const box = root.getBoundingClientRect();
  const w = box.width || 800;
  const h = box.height || 140;
  root.setAttribute("viewBox", `0 0 ${w} ${h}`);
  const filled = fillWeeks(weeks);
  if (!filled.length) {
    root.append(svg("text", { x: w / 2, y: h / 2, class: "trend-empty", "text-anchor": "middle" },
      "No events to chart."));
    return;
  }
  const top = niceMax(Math.max(...filled.map((x) => x.total)));
  const plotW = w - PAD.left - PAD.right;
  const plotH = h - PAD.top - PAD.bottom;
  const barW = plotW / filled.length;
  const y = (v) => PAD.top + plotH - (v / top) * plotH;
  root.append(
    svg("line", { x1: PAD.left, x2: w - PAD.right, y1: y(0), y2: y(0), class: "trend-axis" }),
    svg("text", { x: PAD.left - 4, y: y(top) + 4, "text-anchor": "end", class: "trend-label" }, top),
    svg("text", { x: PAD.left - 4, y: y(0), "text-anchor": "end", class: "trend-label" }, 0),
  );
  const [from, to] = window || [null, null];
  filled.forEach((week, i) => {
    const x = PAD.left + i * barW;
    const outside = from && to && (weekNumber(week.week) < weekNumber(from) - 1 || week.week > to);
    const group = svg("g", { class: outside ? "trend-week outside" : "trend-week",
                             "data-week": week.week, "data-total": week.total });
    let base = 0;
    for (const [type, n] of Object.entries(week.counts)) {
      group.append(svg("rect", {
        x: (x + 0.5).toFixed(1), width: Math.max(barW - 1, 1).toFixed(1),
        y: y(base + n).toFixed(1), height: (y(base) - y(base + n)).toFixed(1),
        fill: colourFor(type), "data-type": type,
      }));
      base += n;
    }
    group.append(svg("title", {}, `week of ${week.week}: ${week.total} event(s)` +
      Object.entries(week.counts).map(([t, n]) => `\n${t}: ${n}`).join("")));
    root.append(group);
  });
  // A date label at each end, and one in the middle when there is room.
  const labels = [[0, "start"], [filled.length - 1, "end"]];
  if (filled.length > 8) labels.push([Math.floor(filled.length / 2), "middle"]);
  for (const [i, anchor] of labels) {
    const x = PAD.left + (anchor === "end" ? (i + 1) * barW : anchor === "middle" ? (i + 0.5) * barW : i * barW);
    root.append(svg("text", { x, y: h - 6, "text-anchor": anchor, class: "trend-label" },
      filled[i].week));
  }
}
