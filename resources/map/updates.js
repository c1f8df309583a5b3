// Changes-only updates of point layers (MapLibre's GeoJSONSource.updateData).
"use strict";
