"""Write the alert tones (16-bit mono WAV) from code, so their origin and licence are ours.

    python resources/sounds/build.py

- `alert_level1.wav`: sharp — three short high beeps (a square-ish wave at 1,320 Hz), for a
  new or escalated level-1 event;
- `alert_level2.wav`: softer — a two-note sine chime (880 Hz, then 660 Hz) that decays, for
  level 2.

The output is deterministic: building again gives the same bytes. Commit the WAVs.
"""

from __future__ import annotations

import math
import struct
import sys
import wave
from pathlib import Path

HERE = Path(__file__).resolve().parent
RATE = 22050
PEAK = 0.55  # of full scale: loud enough to notice, with headroom on the hall's speakers


def _beep(freq: float, seconds: float) -> list[float]:
    """A square-ish beep (fundamental and two odd harmonics) with 5 ms ramps at both ends."""
    n = round(RATE * seconds)
    ramp = round(RATE * 0.005)
    out = []
    for i in range(n):
        t = i / RATE
        x = (math.sin(2 * math.pi * freq * t) + math.sin(6 * math.pi * freq * t) / 3
             + math.sin(10 * math.pi * freq * t) / 5)
        edge = min(1.0, i / ramp, (n - 1 - i) / ramp)
        out.append(x * edge / 0.94)
    return out


def _chime(freq: float, seconds: float) -> list[float]:
    """A sine note with a soft attack and an exponential decay."""
    n = round(RATE * seconds)
    attack = round(RATE * 0.01)
    return [math.sin(2 * math.pi * freq * i / RATE) * min(1.0, i / attack) * math.exp(-4 * i / n)
            for i in range(n)]


def _silence(seconds: float) -> list[float]:
    return [0.0] * round(RATE * seconds)


def level1() -> list[float]:
    samples: list[float] = []
    for _ in range(3):
        samples += _beep(1320, 0.11) + _silence(0.06)
    return samples


def level2() -> list[float]:
    return _chime(880, 0.30) + _chime(660, 0.45)


def write(path: Path, samples: list[float]) -> None:
    frames = b"".join(struct.pack("<h", round(max(-1.0, min(1.0, s)) * PEAK * 32767))
                      for s in samples)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(frames)


def main() -> int:
    write(HERE / "alert_level1.wav", level1())
    write(HERE / "alert_level2.wav", level2())
    return 0


if __name__ == "__main__":
    sys.exit(main())
