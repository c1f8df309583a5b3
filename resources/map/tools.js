// Map tools: pulsing new urgent events (CSS-animated markers, hidden with the events layer), the radius ring around a selected event, the search
// marker, the coordinate and scale readout, and the distance measure tool.
// Ops (window.hallOps): setPulse {data}, setRing {center, radius, label, fit, duration}
// (center null: none; fit: move the view to show the whole ring),
// setMarker {center} (null: none), setMeasuring {on}. window.hallTools exposes the measure
// state for Python and the tests.
"use strict";

(function () {
  const map = window.hallMap;
  const page = window.hallPage;
  const OPS = window.hallOps;

  const RING = "#58a6ff";
  const MEASURE = "#e3b341";
  const MARKER = "#e6edf3";
  const EARTH_RADIUS_M = 6371008.8;
  // Point layers the ring goes under (the first that exists).
  const POINT_LAYERS = ["sensors", "cameras", "events:clusters", "events", "teams"];
  const EMPTY = { type: "FeatureCollection", features: [] };

  function ensureSource(id) {
    if (!map.getSource(id)) map.addSource(id, { type: "geojson", data: EMPTY });
    return map.getSource(id);
  }

  function firstExisting(ids) {
    return ids.find((id) => map.getLayer(id));
  }

  function toTop(id) {
    if (map.getLayer(id)) map.moveLayer(id);
  }

  function before(id, target) {
    if (map.getLayer(id) && target && map.getLayer(target) && id !== target) {
      map.moveLayer(id, target);
    }
  }

  // ---- Geodesy (display only: distances are shown, nothing is decided by them here)

  function radians(d) { return (d * Math.PI) / 180; }

  function distanceM(a, b) {
    const dLat = radians(b[1] - a[1]);
    const dLon = radians(b[0] - a[0]);
    const h = Math.sin(dLat / 2) ** 2
      + Math.cos(radians(a[1])) * Math.cos(radians(b[1])) * Math.sin(dLon / 2) ** 2;
    return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
  }

  function circle(center, radiusM, steps = 96) {
    const [lon, lat] = center;
    const dLat = (radiusM / EARTH_RADIUS_M) * (180 / Math.PI);
    const dLon = dLat / Math.cos(radians(lat));
    const ring = [];
    for (let i = 0; i <= steps; i++) {
      const a = (2 * Math.PI * i) / steps;
      ring.push([lon + dLon * Math.cos(a), lat + dLat * Math.sin(a)]);
    }
    return ring;
  }

  function formatDistance(m) {
    return m < 1000 ? `${Math.round(m)} m` : `${(m / 1000).toFixed(m < 10000 ? 2 : 1)} km`;
  }

  // ---- Pulse: new urgent events (the console decides which) get an expanding ring.
  // DOM markers animated by CSS: the compositor runs the animation, the map is not redrawn.

  const pulses = new Map(); // event id -> maplibregl.Marker

  function setPulse(op) {
    const features = (op.data && op.data.features) || [];
    const wanted = new Map();
    for (const f of features) {
      const id = String((f.properties && f.properties.id) || f.id);
      wanted.set(id, f);
    }
    for (const [id, marker] of pulses) {
      if (!wanted.has(id)) { marker.remove(); pulses.delete(id); }
    }
    for (const [id, f] of wanted) {
      const level = (f.properties && f.properties.level) === 1 ? 1 : 2;
      let marker = pulses.get(id);
      if (!marker) {
        const el = document.createElement("div");
        el.className = `hall-pulse hall-pulse-${level}`;
        el.dataset.id = id;
        if (page.hidden.has("events")) el.style.display = "none";
        marker = new maplibregl.Marker({ element: el }).setLngLat(f.geometry.coordinates);
        marker.addTo(map);
        pulses.set(id, marker);
      } else {
        marker.setLngLat(f.geometry.coordinates);
        const el = marker.getElement(); // keep MapLibre's own classes
        el.classList.remove("hall-pulse-1", "hall-pulse-2");
        el.classList.add(`hall-pulse-${level}`);
      }
    }
  }

  // ---- Ring around the selected event

  let ring = null; // {center, radius}

  function setRing(op) {
    ring = op.center ? { center: op.center, radius: op.radius } : null;
    const data = ring ? { type: "FeatureCollection", features: [{
      type: "Feature", properties: {},
      geometry: { type: "Polygon", coordinates: [circle(ring.center, ring.radius)] } }] } : EMPTY;
    ensureSource("tool:ring").setData(data);
    if (!map.getLayer("tool:ring-fill")) {
      map.addLayer({ id: "tool:ring-fill", type: "fill", source: "tool:ring",
                     paint: { "fill-color": RING, "fill-opacity": 0.12 } });
      map.addLayer({ id: "tool:ring-line", type: "line", source: "tool:ring",
                     paint: { "line-color": RING, "line-width": 2, "line-dasharray": [3, 2] } });
    }
    const label = document.getElementById("ring-label");
    label.textContent = ring ? `${op.label || ""} ${formatDistance(ring.radius)}`.trim() : "";
    label.hidden = !ring;
    placeRingLabel();
    if (ring && op.fit) {
      const corners = circle(ring.center, ring.radius, 4);
      const lons = corners.map((c) => c[0]);
      const lats = corners.map((c) => c[1]);
      map.fitBounds([[Math.min(...lons), Math.min(...lats)], [Math.max(...lons), Math.max(...lats)]],
                    { padding: 48, duration: op.duration || 0, maxZoom: 17 });
    }
  }

  function placeRingLabel() {
    if (!ring) return;
    const label = document.getElementById("ring-label");
    const dLat = (ring.radius / EARTH_RADIUS_M) * (180 / Math.PI);
    const p = map.project([ring.center[0], ring.center[1] + dLat]);
    label.style.left = `${p.x}px`;
    label.style.top = `${p.y}px`;
  }

  // ---- Search marker

  function setMarker(op) {
    const data = op.center ? { type: "FeatureCollection", features: [{
      type: "Feature", properties: {}, geometry: { type: "Point", coordinates: op.center } }] }
      : EMPTY;
    ensureSource("tool:marker").setData(data);
    if (!map.getLayer("tool:marker")) {
      map.addLayer({ id: "tool:marker", type: "circle", source: "tool:marker", paint: {
        "circle-color": "rgba(0,0,0,0)", "circle-radius": 14,
        "circle-stroke-color": MARKER, "circle-stroke-width": 3 } });
    }
  }

  // ---- Measure: clicks add points, the total shows at the last one; off clears it

  let measuring = false;
  let measurePoints = [];

  function measureMeters() {
    let total = 0;
    for (let i = 1; i < measurePoints.length; i++) {
      total += distanceM(measurePoints[i - 1], measurePoints[i]);
    }
    return total;
  }

  function drawMeasure() {
    const features = measurePoints.map((p) => ({
      type: "Feature", properties: {}, geometry: { type: "Point", coordinates: p } }));
    if (measurePoints.length > 1) {
      features.push({ type: "Feature", properties: {},
                      geometry: { type: "LineString", coordinates: measurePoints } });
    }
    ensureSource("tool:measure").setData({ type: "FeatureCollection", features });
    if (!map.getLayer("tool:measure-line")) {
      map.addLayer({ id: "tool:measure-line", type: "line", source: "tool:measure",
                     filter: ["==", ["geometry-type"], "LineString"],
                     paint: { "line-color": MEASURE, "line-width": 2.5 } });
      map.addLayer({ id: "tool:measure-points", type: "circle", source: "tool:measure",
                     filter: ["==", ["geometry-type"], "Point"],
                     paint: { "circle-color": MEASURE, "circle-radius": 4,
                              "circle-stroke-color": "#0f141b", "circle-stroke-width": 1 } });
    }
    const label = document.getElementById("measure-label");
    label.hidden = measurePoints.length < 2;
    if (!label.hidden) {
      label.textContent = formatDistance(measureMeters());
      placeMeasureLabel();
    }
  }

  function placeMeasureLabel() {
    if (measurePoints.length < 2) return;
    const label = document.getElementById("measure-label");
    const p = map.project(measurePoints[measurePoints.length - 1]);
    label.style.left = `${p.x}px`;
    label.style.top = `${p.y}px`;
  }

  function setMeasuring(op) {
    measuring = Boolean(op.on);
    measurePoints = [];
    drawMeasure();
    map.getCanvas().style.cursor = measuring ? "crosshair" : "";
    if (measuring) map.doubleClickZoom.disable();
    else map.doubleClickZoom.enable();
  }

  page.clickHook = (e) => {
    if (!measuring) return false;
    measurePoints.push([e.lngLat.lng, e.lngLat.lat]);
    drawMeasure();
    return true;
  };

  // ---- Icons for symbol layers: diamonds (sensors) in the state colours, drawn here so that
  // no sprite has to be fetched. Named "hall-diamond-<state>".

  const DIAMONDS = { normal: "#3fb950", warning: "#d29922", alarm: "#f85149", unknown: "#8b949e" };

  function diamond(colour) {
    const size = 18;
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = size;
    const g = canvas.getContext("2d");
    g.translate(size / 2, size / 2);
    g.rotate(Math.PI / 4);
    g.fillStyle = colour;
    g.strokeStyle = "#0f141b";
    g.lineWidth = 2;
    g.fillRect(-5.5, -5.5, 11, 11);
    g.strokeRect(-5.5, -5.5, 11, 11);
    return g.getImageData(0, 0, size, size);
  }

  for (const [state, colour] of Object.entries(DIAMONDS)) {
    map.addImage(`hall-diamond-${state}`, diamond(colour), { pixelRatio: 1.5 });
  }

  // ---- Readout: the cursor's coordinates, the zoom, and a scale bar

  map.addControl(new maplibregl.ScaleControl({ maxWidth: 120, unit: "metric" }), "bottom-left");
  const readout = document.getElementById("readout");
  let cursor = null;

  function showReadout() {
    const where = cursor || map.getCenter();
    readout.textContent =
      `${where.lng.toFixed(5)}, ${where.lat.toFixed(5)}  ·  z ${map.getZoom().toFixed(1)}`;
  }

  map.on("mousemove", (e) => { cursor = e.lngLat; showReadout(); });
  map.on("mouseout", () => { cursor = null; showReadout(); });
  map.on("move", () => { showReadout(); placeRingLabel(); placeMeasureLabel(); });
  showReadout();

  // Keep the tools' layers in place whatever the batch added: the ring under the points,
  // the marker and the measure on top.
  page.afterBatch.push(() => {
    const display = page.hidden.has("events") ? "none" : "";
    for (const marker of pulses.values()) marker.getElement().style.display = display;
    const under = firstExisting(POINT_LAYERS);
    before("tool:ring-fill", under);
    before("tool:ring-line", under);
    for (const id of ["tool:marker", "tool:measure-line", "tool:measure-points"]) toTop(id);
  });

  Object.assign(OPS, { setPulse, setRing, setMarker, setMeasuring });
  window.hallTools = {
    measureMeters,
    measuring: () => measuring,
    ring: () => ring,
    pulsing: () => [...pulses.keys()],
  };
})();
