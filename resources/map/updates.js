// Changes-only updates of point layers (MapLibre's GeoJSONSource.updateData).
// Op `updateFeatures` {id: layer, upserts: [Feature], removed: [feature id]} (views/map_view.py
// MapView.update_features): the features in `upserts` are added, or replace the feature with the
// same id; those in `removed` go. Only the changes cross to MapLibre's worker.
//
// How MapLibre 5.3 diffs: a source keeps its data as a Map keyed by each feature's id, which with
// the sources' `promoteId: "id"` (map.js) is `properties.id`, not the top-level id; so every
// feature needs `properties.id` (copied from `id` here as in map.js), unique in the layer, or
// the source cannot be updated at all ("Cannot update existing geojson data"). A diff's `add`
// with an id already there replaces that feature, so upserts go as `add`, removals as
// `remove` (applied first). Clustered sources work too: the worker applies the diff, then
// rebuilds the source's whole index (clusters included) from all its features, and the tiles
// in view are made again; that cost grows with the layer, not with the diff.
//
// MapLibre 5.3 sends every updateData to the worker at once and the worker works through them
// one by one: updates coming faster than the worker rebuilds would queue up without end. So
// each source has at most one update in flight: what comes meanwhile is merged here (the
// latest version of a feature wins, as in views/map_bridge.py) and goes as one diff after the
// map has drawn a frame with all the source's tiles made from the previous one. A `setLayer`
// or `removeLayer` of the layer drops the changes still held for it (its new data already has
// them, or it is gone).
// For the tests and bench/map.py, `window.hallUpdates`: held(layer) tells whether changes wait
// here; shown(layer) counts the updateFeatures ops of the layer drawn so far (all of an op's
// changes are in a frame whose 'render' event saw that count).
"use strict";

(function () {
  const map = window.hallMap;
  const page = window.hallPage;
  const OPS = window.hallOps;
  const held = new Map(); // layer id -> {add: Map(id -> Feature), remove: Set(id)} not yet sent

  function withId(f) {
    if (f.id !== undefined && f.id !== null) {
      f.properties = f.properties || {};
      if (f.properties.id === undefined) f.properties.id = f.id;
    }
    return f;
  }

  const received = new Map(); // layer id -> updateFeatures ops received
  const sentUpTo = new Map(); // layer id -> ops received when the diff in flight went
  const shown = new Map(); // layer id -> ops whose changes have been drawn

  function send(id) {
    const changes = held.get(id);
    const source = map.getSource(id);
    if (!changes || !source || !loaded(id)) return; // the previous one is not drawn yet
    held.delete(id);
    sentUpTo.set(id, received.get(id));
    const diff = {};
    if (changes.remove.size) diff.remove = [...changes.remove];
    if (changes.add.size) diff.add = [...changes.add.values()];
    if (diff.remove || diff.add) source.updateData(diff);
  }

  function loaded(id) {
    const source = map.getSource(id);
    return !source || (source.loaded() && map.isSourceLoaded(id));
  }

  function drawn() {
    // After each frame: the diffs in flight that are now drawn, and the next ones out.
    for (const [id, upTo] of sentUpTo) {
      if (upTo !== shown.get(id) && loaded(id)) shown.set(id, upTo);
    }
    for (const id of [...held.keys()]) send(id);
  }

  function updateFeatures(op) {
    const source = map.getSource(op.id);
    if (!source || typeof source.updateData !== "function") {
      page.report("updateFeatures: no GeoJSON layer " + op.id);
      return;
    }
    received.set(op.id, (received.get(op.id) || 0) + 1);
    let changes = held.get(op.id);
    if (!changes) held.set(op.id, changes = { add: new Map(), remove: new Set() });
    for (const fid of op.removed || []) {
      changes.add.delete(fid);
      changes.remove.add(fid);
    }
    for (const f of op.upserts || []) {
      const fid = withId(f).properties && f.properties.id;
      if (fid === undefined || fid === null) continue; // cannot be diffed (Python checks)
      changes.remove.delete(fid);
      changes.add.set(fid, f);
    }
    send(op.id);
  }

  map.on("render", drawn);
  map.on("idle", drawn);

  for (const name of ["setLayer", "removeLayer"]) {
    const op = OPS[name];
    OPS[name] = (o) => {
      held.delete(o.id);
      if (received.has(o.id)) shown.set(o.id, received.get(o.id)); // nothing left to show
      op(o);
    };
  }
  OPS.updateFeatures = updateFeatures;
  window.hallUpdates = { held: (id) => held.has(id), shown: (id) => shown.get(id) || 0 };
})();
