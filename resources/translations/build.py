"""Update the translation sources and build the binaries.

    python resources/translations/build.py          # lupdate over views/, widgets/, main.py, then lrelease
    python resources/translations/build.py --release-only

pyside6-lupdate keeps existing translations and marks vanished messages obsolete (-no-obsolete
drops them); pyside6-lrelease writes hall_<lang>.qm next to the .ts. Commit both files.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
LANGUAGES = ("zh_CN",)
SOURCE_DIRS = ("views", "widgets")


def sources() -> list[str]:
    files = [str(p.relative_to(ROOT)) for d in SOURCE_DIRS for p in sorted((ROOT / d).rglob("*.py"))]
    return files + ["main.py"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--release-only", action="store_true", help="only run lrelease")
    args = parser.parse_args(argv)
    for language in LANGUAGES:
        ts = HERE / f"hall_{language}.ts"
        if not args.release_only:
            subprocess.run(
                ["pyside6-lupdate", *sources(), "-no-obsolete", "-target-language", language,
                 "-ts", str(ts)],
                cwd=ROOT, check=True,
            )
        subprocess.run(
            ["pyside6-lrelease", str(ts), "-qm", str(HERE / f"hall_{language}.qm")],
            cwd=ROOT, check=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
