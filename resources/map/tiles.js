// Raster tile sources (from /map/config), served through hall://tiles/ (views/map_tiles.py).
"use strict";
