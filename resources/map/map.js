// The hall's map page: MapLibre GL JS, talking to Python (views/map_bridge.py) over QWebChannel.
// Python -> page: `hall.updates` carries a JSON array of operations, applied in one go.
// Page -> Python: hall.pageReady(), hall.featureClicked(layer, id), hall.viewMoved(lon, lat, zoom).
// Other page scripts (loaded after this one by index.html, one per feature) add operations to
// `window.hallOps` (name -> function(op)) and may use `window.hallPage` (report, hall()).
// A layer set with `cluster` has a clustered source and a second layer "<id>:clusters" that
// draws the clusters (no counts: the style has no glyphs); a click on a cluster zooms in.
"use strict";

(function () {
  const BACKGROUND = "#0f141b"; // the dark theme's base colour
  const CLICK_TOLERANCE_PX = 4;

  const map = new maplibregl.Map({
    container: "map",
    // An empty style: no sources, no glyphs, no sprite, so nothing is ever fetched.
    // (Symbol layers with text need a `glyphs` URL: serve it through hall: when labels come.)
    style: {
      version: 8,
      sources: {},
      layers: [{ id: "background", type: "background", paint: { "background-color": BACKGROUND } }],
    },
    center: [120.30, 31.57], // Liangxi district, Wuxi
    zoom: 12,
    attributionControl: false,
    fadeDuration: 0,
  });
  window.hallMap = map;

  let hall = null;
  const clickable = new Set();
  const hidden = new Set(); // layers set invisible (kept across re-creation)
  const clustered = new Map(); // layer id -> its source's cluster options, as JSON

  function clustersOf(id) { return id + ":clusters"; }

  function report(message) {
    if (hall) hall.pageError(String(message));
    else console.error(message);
  }

  function withIds(data) {
    // Features' ids travel as the `id` property (MapLibre keeps only numeric top-level ids).
    if (data && Array.isArray(data.features)) {
      for (const f of data.features) {
        if (f.id !== undefined && f.id !== null) {
          f.properties = f.properties || {};
          if (f.properties.id === undefined) f.properties.id = f.id;
        }
      }
    }
    return data;
  }

  function sourceOptions(op, data) {
    const options = { type: "geojson", data: data, promoteId: "id" };
    if (op.cluster) {
      options.cluster = true;
      options.clusterRadius = op.cluster.radius || 40;
      options.clusterMaxZoom = op.cluster.maxZoom || 14;
      if (op.cluster.properties) options.clusterProperties = op.cluster.properties;
    }
    return options;
  }

  function applyVisibility(id) {
    const value = hidden.has(id) ? "none" : "visible";
    for (const layer of [id, clustersOf(id)]) {
      if (map.getLayer(layer)) map.setLayoutProperty(layer, "visibility", value);
    }
  }

  function setLayer(op) {
    const data = withIds(op.data);
    const cluster = op.cluster ? JSON.stringify(op.cluster) : "";
    // A source's clustering cannot change: a layer whose cluster options changed starts over.
    if (map.getSource(op.id) && (clustered.get(op.id) || "") !== cluster) removeLayer(op);
    const source = map.getSource(op.id);
    if (source) {
      source.setData(data);
    } else {
      map.addSource(op.id, sourceOptions(op, data));
      clustered.set(op.id, cluster);
    }
    if (map.getLayer(op.id) && map.getLayer(op.id).type !== op.type) map.removeLayer(op.id);
    if (!map.getLayer(op.id)) {
      const layer = { id: op.id, type: op.type, source: op.id, paint: op.paint, layout: op.layout };
      if (op.cluster) layer.filter = ["!", ["has", "point_count"]];
      map.addLayer(layer);
    } else {
      for (const [k, v] of Object.entries(op.paint || {})) map.setPaintProperty(op.id, k, v);
      for (const [k, v] of Object.entries(op.layout || {})) map.setLayoutProperty(op.id, k, v);
    }
    if (op.cluster && !map.getLayer(clustersOf(op.id))) {
      map.addLayer({ id: clustersOf(op.id), type: "circle", source: op.id,
                     filter: ["has", "point_count"], paint: op.cluster.paint || {} }, op.id);
    }
    applyVisibility(op.id);
    if (op.clickable) clickable.add(op.id);
    else clickable.delete(op.id);
  }

  function removeLayer(op) {
    if (map.getLayer(clustersOf(op.id))) map.removeLayer(clustersOf(op.id));
    if (map.getLayer(op.id)) map.removeLayer(op.id);
    if (map.getSource(op.id)) map.removeSource(op.id);
    clickable.delete(op.id);
    clustered.delete(op.id);
  }

  function setVisible(op) {
    if (op.visible) hidden.delete(op.id);
    else hidden.add(op.id);
    applyVisibility(op.id);
  }

  function flyTo(op) {
    const target = { center: op.center };
    if (op.zoom !== null && op.zoom !== undefined) target.zoom = op.zoom;
    if (op.duration > 0) map.flyTo({ ...target, duration: op.duration, essential: true });
    else map.jumpTo(target);
  }

  const OPS = { setLayer, removeLayer, setVisible, flyTo };
  // hidden: the ids of layers set invisible; afterBatch: functions called after each batch (a tool keeping its layers in place);
  // clickHook: a function(event) -> true when a tool took the click.
  const page = { report, hall: () => hall, clickable, hidden, afterBatch: [], clickHook: null };
  window.hallOps = OPS;
  window.hallPage = page;

  function apply(json) {
    let batch;
    try {
      batch = JSON.parse(json);
    } catch (e) {
      report("bad batch: " + e);
      return;
    }
    for (const op of batch) {
      const fn = OPS[op.op];
      if (!fn) { report("unknown op " + op.op); continue; }
      try { fn(op); } catch (e) { report(op.op + " " + (op.id || "") + ": " + e); }
    }
    for (const fn of page.afterBatch) {
      try { fn(); } catch (e) { report("after batch: " + e); }
    }
  }

  map.on("click", (e) => {
    if (page.clickHook && page.clickHook(e)) return; // a tool took the click
    if (!hall || clickable.size === 0) return;
    const t = CLICK_TOLERANCE_PX;
    const box = [[e.point.x - t, e.point.y - t], [e.point.x + t, e.point.y + t]];
    const layers = [...clickable].filter((id) => map.getLayer(id));
    const hits = map.queryRenderedFeatures(box, { layers });
    if (!hits.length) {
      zoomIntoCluster(box, layers);
      return;
    }
    const f = hits[0];
    const id = f.properties && f.properties.id !== undefined ? f.properties.id : f.id;
    hall.featureClicked(f.layer.id, String(id));
  });

  function zoomIntoCluster(box, layers) {
    const ids = layers.map(clustersOf).filter((id) => map.getLayer(id));
    if (!ids.length) return;
    const hits = map.queryRenderedFeatures(box, { layers: ids });
    if (!hits.length) return;
    const f = hits[0];
    map.getSource(f.source).getClusterExpansionZoom(f.properties.cluster_id).then(
      (zoom) => map.easeTo({ center: f.geometry.coordinates, zoom: zoom }),
      (e) => report("cluster zoom: " + e));
  }

  map.on("moveend", () => {
    if (!hall) return;
    const c = map.getCenter();
    hall.viewMoved(c.lng, c.lat, map.getZoom());
  });

  map.on("error", (e) => report(e && e.error ? e.error.message : e));

  const channelReady = new Promise((resolve) => {
    new QWebChannel(qt.webChannelTransport, (channel) => {
      hall = channel.objects.hall;
      hall.updates.connect(apply);
      resolve();
    });
  });
  const mapLoaded = new Promise((resolve) => map.once("load", resolve));
  // The feature scripts after this one must have run too: a parser-blocking script that is
  // still loading does not hold back the map's load or the channel.
  const scriptsRun = new Promise((resolve) => {
    if (document.readyState !== "loading") resolve();
    else document.addEventListener("DOMContentLoaded", resolve, { once: true });
  });
  Promise.all([channelReady, mapLoaded, scriptsRun]).then(() => hall.pageReady());
})();
