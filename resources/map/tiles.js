// Raster tile sources (from /map/config), served through hall://tiles/ (views/map_tiles.py).
// Ops: setRasterSource {id, tiles, tileSize, maxzoom, attribution} adds (or replaces) source
// and layer "raster:<id>" just above the background, under every other layer (a source set
// later lies under those set earlier); removeRasterSource {id}.
"use strict";

(function () {
  const map = window.hallMap;
  const ops = window.hallOps;
  let attribution = null; // the attribution control, added with the first attributed source

  function rasterId(id) { return "raster:" + id; }

  // The id of the layer right above "background" (the new layer goes before it), or undefined.
  function aboveBackground() {
    const layers = map.getStyle().layers;
    const i = layers.findIndex((l) => l.id === "background");
    const next = layers[i + 1];
    return next ? next.id : undefined;
  }

  function removeRasterSource(op) {
    const id = rasterId(op.id);
    if (map.getLayer(id)) map.removeLayer(id);
    if (map.getSource(id)) map.removeSource(id);
  }

  function setRasterSource(op) {
    if (!Array.isArray(op.tiles) || !op.tiles.every((t) => String(t).startsWith("hall://tiles/"))) {
      throw new Error("raster tiles must come through hall://tiles/");
    }
    removeRasterSource(op); // a source's tiles cannot change in place
    const id = rasterId(op.id);
    const source = { type: "raster", tiles: op.tiles, tileSize: op.tileSize || 256 };
    if (op.maxzoom !== null && op.maxzoom !== undefined) source.maxzoom = op.maxzoom;
    if (op.attribution) source.attribution = op.attribution;
    map.addSource(id, source);
    map.addLayer({ id: id, type: "raster", source: id,
                   paint: { "raster-fade-duration": 0 } }, aboveBackground());
    if (op.attribution && !attribution) {
      attribution = new maplibregl.AttributionControl({ compact: true });
      map.addControl(attribution, "bottom-right");
    }
  }

  ops.setRasterSource = setRasterSource;
  ops.removeRasterSource = removeRasterSource;
})();
