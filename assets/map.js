// The map and timeline: bases and events on Natural Earth outlines (no tile server),
// a timeline of events, tenures and deployments with fuzzy dates drawn as ranges, a
// brushed range that filters the map, a base's panel from one nested query, and new
// events arriving over a subscription. Everything is read from the public GraphQL API
// with the headers written in GraphiQL.
"use strict";

const FUZZY = "edtf earliest latest approximate uncertain";
const EVENT_FIELDS = `fragment MapEvent on Event {
  id kind title
  occurred { ${FUZZY} }
  place { name location { latitude longitude } }
  bases(first: 3) { nodes { base { id } } }
}`;
const BASES = `query MapBases($after: String) {
  bases(first: 50, after: $after) {
    nodes {
      id name kind country location { latitude longitude }
      tenures(first: 20) { nodes { id role actor { name } validFrom { ${FUZZY} } validTo { ${FUZZY} } } }
      deployments(first: 20) { nodes { id asset { name } validFrom { ${FUZZY} } validTo { ${FUZZY} } } }
    }
    pageInfo { hasNextPage endCursor }
  }
}`;
const EVENTS = `query MapEvents($after: String) {
  events(first: 100, after: $after) { nodes { ...MapEvent } pageInfo { hasNextPage endCursor } }
}
${EVENT_FIELDS}`;
const LIVE = `subscription MapLive { eventReported { ...MapEvent } }
${EVENT_FIELDS}`;
const PANEL = `query BasePanel($id: ID!) {
  base(id: $id) {
    name kind country description
    location { latitude longitude precision }
    tenures { nodes { role actor { name kind } validFrom { edtf } validTo { edtf } } }
    deployments {
      nodes {
        validFrom { edtf } validTo { edtf }
        asset { name kind model quantity { value qualifier } owner { name } }
        attestations { nodes { credibility report { title published { edtf } source { name reliability } } } }
      }
    }
    events(last: 10) {
      nodes {
        title occurred { edtf }
        attestations { nodes { credibility stance report { title source { name reliability } } } }
      }
    }
  }
}`;
/** Most pages of bases or events the map reads (at 50 and 100 a page). */
const MAX_PAGES = 20;

const state = {
  bases: new Map(), // id → { base, marker }
  events: new Map(), // id → { event, marker, span }
  spans: [], // timeline items: { kind, id, label, start, end, fuzzyStart, fuzzyEnd }
  range: null, // [Date, Date] brushed, or null for all time
};

const status = document.getElementById("status");
const map = L.map("map", { worldCopyJump: true, zoomSnap: 0.5 }).setView([35, 36], 6);
// Events lie under the bases, so that a base at the same place stays clickable.
map.createPane("events").style.zIndex = 390;
const baseLayer = L.layerGroup().addTo(map);
const eventLayer = L.layerGroup().addTo(map);

/** Reads every page of a connection (`pick` finds it in an answer), up to MAX_PAGES. */
async function allPages(text, pick) {
  const nodes = [];
  let after = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const connection = pick(await garrisonConsole.query(text, { after }));
    nodes.push(...connection.nodes);
    if (!connection.pageInfo.hasNextPage) break;
    after = connection.pageInfo.endCursor;
  }
  return nodes;
}

async function drawCountries() {
  const world = await (await fetch("/assets/vendor/world-atlas@2.0.2/countries-110m.json")).json();
  const countries = topojson.feature(world, world.objects.countries);
  L.geoJSON(countries, { style: { className: "country" }, interactive: false }).addTo(map);
}

const BASE_COLOURS = { AIR_BASE: "#2563eb", NAVAL_BASE: "#0891b2", ARMY_BASE: "#65a30d" };

function addBase(base) {
  if (!base.location) return;
  const marker = L.circleMarker([base.location.latitude, base.location.longitude], {
    radius: 9,
    className: `base-marker kind-${base.kind}`,
    fillColor: BASE_COLOURS[base.kind] ?? "#7c3aed",
    fillOpacity: 0.9,
  })
    .bindTooltip(base.name, { permanent: true, direction: "right", className: "base-label" })
    .on("click", () => openPanel(base.id))
    .addTo(baseLayer);
  state.bases.set(base.id, { base, marker });
  for (const tenure of base.tenures.nodes) {
    state.spans.push(span("tenure", tenure.id, `${tenure.actor.name} ${tenure.role.toLowerCase()} of ${base.name}`,
      tenure.validFrom, tenure.validTo));
  }
  for (const deployment of base.deployments.nodes) {
    state.spans.push(span("deployment", deployment.id, `${deployment.asset.name} at ${base.name}`,
      deployment.validFrom, deployment.validTo));
  }
}

/** Where an event is: its own place, else the first base it took part at. */
function eventPosition(event) {
  const own = event.place?.location;
  if (own) return [own.latitude, own.longitude];
  for (const { base } of event.bases.nodes) {
    const at = state.bases.get(base.id)?.base.location;
    if (at) return [at.latitude + 0.05, at.longitude + 0.05];
  }
  return null;
}

function addEvent(event, live = false) {
  if (state.events.has(event.id)) return;
  const item = span("event", event.id, event.title, event.occurred, event.occurred);
  state.spans.push(item);
  const position = eventPosition(event);
  const marker = position
    ? L.circleMarker(position, { pane: "events", radius: 5, className: `event-marker${live ? " new" : ""}` })
        .bindTooltip(`${event.title} (${event.occurred?.edtf ?? "undated"})`)
    : null;
  state.events.set(event.id, { event, marker, span: item });
  applyRange();
}

/** A timeline item from a start and an end fuzzy date (each may be missing). */
function span(kind, id, label, from, to) {
  const date = (text) => (text ? new Date(text) : null);
  const fuzzy = (d) => !d || d.approximate || d.uncertain;
  return {
    kind,
    id,
    label,
    start: date(from?.earliest) ?? date(from?.latest),
    end: date(to?.latest) ?? date(to?.earliest),
    // An open end (an ongoing tenure, an event known only by its end) is drawn as such.
    openStart: !from || !from.earliest,
    openEnd: !to || !to.latest,
    fuzzyStart: fuzzy(from),
    fuzzyEnd: fuzzy(to),
  };
}

/** Whether a timeline item overlaps the brushed range (everything, without one). */
function inRange(item) {
  if (!state.range) return true;
  const [from, to] = state.range;
  const start = item.start ?? new Date(-8.64e15);
  const end = item.end ?? new Date(8.64e15);
  return start < to && end > from;
}

function applyRange() {
  let shown = 0;
  for (const { marker, span: item } of state.events.values()) {
    if (!marker) continue;
    const visible = inRange(item);
    if (visible && !eventLayer.hasLayer(marker)) eventLayer.addLayer(marker);
    if (!visible && eventLayer.hasLayer(marker)) eventLayer.removeLayer(marker);
    if (visible) shown++;
  }
  const label = document.getElementById("range");
  const day = d3.utcFormat("%Y-%m-%d");
  label.textContent = state.range
    ? `${day(state.range[0])} – ${day(state.range[1])}: ${shown} events on the map`
    : `all time: ${shown} events on the map`;
  timeline.redraw();
}

// The timeline: one lane per kind, items packed into rows, wheel to zoom, drag to
// choose a range (click outside it to clear).
const timeline = (() => {
  const svg = d3.select("#timeline-svg");
  const lanes = ["event", "tenure", "deployment"];
  const margin = { left: 90, right: 20, top: 6, bottom: 22 };
  const rowsPerLane = 6;
  let x = d3.scaleUtc();
  let zoomed = null;

  const axis = svg.append("g").attr("class", "axis");
  const items = svg.append("g").attr("class", "items");
  const labels = svg.append("g");
  const brushLayer = svg.append("g").attr("class", "brush");
  const brush = d3.brushX().on("end", (event) => {
    if (!event.sourceEvent) return; // moved by a redraw, not by the user
    state.range = event.selection ? event.selection.map((px) => current().invert(px)) : null;
    applyRange();
  });
  svg.call(
    d3.zoom().filter((event) => event.type === "wheel").scaleExtent([0.02, 5000]).on("zoom", (event) => {
      zoomed = event.transform;
      redraw();
    }),
  );

  function size() {
    const { width, height } = svg.node().getBoundingClientRect();
    return { width: Math.max(width, 200), height: Math.max(height, 100) };
  }

  function current() {
    return zoomed ? zoomed.rescaleX(x) : x;
  }

  /** The first view: from the earliest quarter of the events on, to the last date. */
  function initialDomain() {
    const starts = state.spans.filter((s) => s.kind === "event" && s.start).map((s) => +s.start);
    const ends = state.spans.flatMap((s) => [s.end, s.start]).filter(Boolean).map(Number);
    if (!starts.length || !ends.length) return [new Date(Date.UTC(2000, 0, 1)), new Date()];
    const from = d3.quantile(starts.sort(d3.ascending), 0.25);
    const to = Math.max(...ends);
    const pad = Math.max((to - from) * 0.08, 86400000);
    return [new Date(from - pad), new Date(to + pad)];
  }

  function redraw() {
    const { width, height } = size();
    if (!zoomed) x = x.domain(initialDomain());
    x.range([margin.left, width - margin.right]);
    const scale = current();
    const laneHeight = (height - margin.top - margin.bottom) / lanes.length;
    const rowHeight = Math.max(2, Math.min(7, (laneHeight - 18) / rowsPerLane - 1));
    const [left, right] = scale.range();
    const clamp = (px) => Math.max(left, Math.min(right, px));
    axis.attr("transform", `translate(0,${height - margin.bottom})`).call(d3.axisBottom(scale).ticks(width / 110));
    labels.selectAll("text").data(lanes).join("text").attr("class", "lane-label")
      .attr("x", 6).attr("y", (_, i) => margin.top + i * laneHeight + 12).text((lane) => `${lane}s`);

    // Rows: each item takes the first row of its lane where it does not overlap.
    const ends = new Map(lanes.map((lane) => [lane, new Array(rowsPerLane).fill(-Infinity)]));
    const placed = [...state.spans].sort((a, b) => (a.start ?? 0) - (b.start ?? 0)).map((item) => {
      const x0 = clamp(item.start ? scale(item.start) : left);
      const x1 = clamp(item.end ? Math.max(scale(item.end), x0 + 3) : right);
      const rows = ends.get(item.kind);
      let row = rows.findIndex((end) => end < x0);
      if (row < 0) row = rows.indexOf(Math.min(...rows));
      rows[row] = x1 + 2;
      const y = margin.top + lanes.indexOf(item.kind) * laneHeight + 16 + row * (rowHeight + 1);
      return { item, x0, x1, y };
    });
    items.selectAll("g.span").data(placed, (d) => `${d.item.kind}:${d.item.id}`).join((enter) => {
      const g = enter.append("g").attr("class", "span");
      g.append("rect");
      g.append("line").attr("class", "item-end start");
      g.append("line").attr("class", "item-end end");
      g.append("title");
      return g;
    })
      .attr("data-kind", (d) => d.item.kind)
      .attr("data-id", (d) => d.item.id)
      .attr("data-in-range", (d) => inRange(d.item))
      .call((g) => g.select("rect").attr("class", (d) => `item ${d.item.kind}`)
        .attr("x", (d) => d.x0).attr("y", (d) => d.y).attr("height", rowHeight)
        .attr("width", (d) => Math.max(d.x1 - d.x0, 2))
        .attr("opacity", (d) => (inRange(d.item) ? 0.8 : 0.25)))
      .call((g) => g.select("line.start").classed("fuzzy", (d) => d.item.fuzzyStart || d.item.openStart)
        .attr("x1", (d) => d.x0).attr("x2", (d) => d.x0).attr("y1", (d) => d.y - 1).attr("y2", (d) => d.y + rowHeight + 1))
      .call((g) => g.select("line.end").classed("fuzzy", (d) => d.item.fuzzyEnd || d.item.openEnd)
        .attr("x1", (d) => d.x1).attr("x2", (d) => d.x1).attr("y1", (d) => d.y - 1).attr("y2", (d) => d.y + rowHeight + 1))
      .call((g) => g.select("title").text((d) => d.item.label));

    brush.extent([[left, margin.top], [right, height - margin.bottom]]);
    brushLayer.call(brush);
    brushLayer.call(brush.move, state.range ? state.range.map((d) => clamp(scale(d))) : null);
  }

  window.addEventListener("resize", redraw);
  return { redraw, scale: current };
})();

/** A DOM element with text children (never HTML: the data is the caller's). */
function el(tag, ...children) {
  const node = document.createElement(tag);
  for (const child of children) node.append(child instanceof Node ? child : String(child ?? ""));
  return node;
}

function list(title, nodes, describe) {
  const section = document.createDocumentFragment();
  section.append(el("h3", title));
  const ul = el("ul");
  for (const node of nodes) ul.append(describe(node));
  if (!nodes.length) ul.append(el("li", "none known"));
  section.append(ul);
  return section;
}

const when = (from, to) => `${from?.edtf ?? "?"} – ${to?.edtf ?? "…"}`;

function evidence(attestations) {
  return el("div", ...attestations.nodes.map((a) =>
    el("div", `↳ ${a.report.title} — ${a.report.source.name} (reliability ${a.report.source.reliability}), credibility ${a.credibility}${a.stance && a.stance !== "ASSERTS" ? `, ${a.stance.toLowerCase()}` : ""}`),
  ));
}

async function openPanel(id) {
  const panel = document.getElementById("panel");
  const body = document.getElementById("panel-body");
  panel.hidden = false;
  body.replaceChildren(el("p", "Loading…"));
  try {
    const { base } = await garrisonConsole.query(PANEL, { id });
    if (!base) throw new Error("NOT_FOUND: this base is not visible to you");
    body.replaceChildren(
      el("h2", base.name),
      el("div", `${base.kind.replaceAll("_", " ").toLowerCase()}, ${base.country ?? ""} · ${base.location ? `${base.location.latitude}, ${base.location.longitude}` : "no location"}`),
      base.description ? el("p", base.description) : "",
      list("Operated and hosted by", base.tenures.nodes, (t) =>
        el("li", `${t.actor.name} — ${t.role.toLowerCase()}, ${when(t.validFrom, t.validTo)}`)),
      list("Deployed here", base.deployments.nodes, (d) => {
        const q = d.asset.quantity;
        const count = q ? ` (${q.qualifier.replaceAll("_", " ").toLowerCase()} ${q.value})` : "";
        const item = el("li", `${d.asset.name}${count}${d.asset.owner ? `, ${d.asset.owner.name}` : ""}, ${when(d.validFrom, d.validTo)}`);
        item.append(Object.assign(evidence(d.attestations), { className: "evidence" }));
        return item;
      }),
      list("Latest events", base.events.nodes, (e) => {
        const item = el("li", `${e.occurred?.edtf ?? "undated"}: ${e.title}`);
        item.append(Object.assign(evidence(e.attestations), { className: "evidence" }));
        return item;
      }),
    );
  } catch (error) {
    body.replaceChildren(el("p", error.message));
  }
}
document.getElementById("panel-close").addEventListener("click", () => {
  document.getElementById("panel").hidden = true;
});

function toast(text) {
  const box = document.getElementById("toast");
  box.textContent = text;
  box.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => (box.hidden = true), 6000);
}

function subscribe() {
  garrisonConsole.wsClient().subscribe({ query: LIVE }, {
    next: ({ data, errors }) => {
      if (errors?.length) return toast(errors[0].message);
      addEvent(data.eventReported, true);
      toast(`New event: ${data.eventReported.title}`);
    },
    error: (error) => (status.textContent = `live updates stopped: ${error.message ?? error.reason ?? "closed"}`),
    complete: () => {},
  });
}

async function start() {
  try {
    await drawCountries();
    for (const base of await allPages(BASES, (d) => d.bases)) addBase(base);
    for (const event of await allPages(EVENTS, (d) => d.events)) addEvent(event);
    const located = [...state.bases.values()].map(({ marker }) => marker.getLatLng());
    if (located.length) map.fitBounds(L.latLngBounds(located).pad(1.5), { maxZoom: 8, animate: false });
    applyRange();
    subscribe();
    status.textContent = `${state.bases.size} bases, ${state.events.size} events · live`;
    document.body.dataset.ready = "true";
  } catch (error) {
    status.textContent = error.message;
  }
}

// For the browser tests and the curious: the map's state.
window.garrisonMap = { map, state, timeline };
start();
