// Map tools: pulsing new events, the radius ring, the coordinate and scale readout, the measure tool.
"use strict";
