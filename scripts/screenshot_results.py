"""Take the README's screenshot of the results page: the app served on localhost, opened in Debian's Chromium.

    python3 scripts/screenshot_results.py                      # writes docs/screenshot_results.png
    python3 scripts/screenshot_results.py --out shot.png --height 1800

The page is what a fresh start shows: the bundled 四川省 sample pool under the default scenario.
Chinese text needs a CJK font on the machine (Debian: fonts-wqy-microhei).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from browser import results_screenshot, serve_app, why_unavailable  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshot_results.png")
    parser.add_argument("--height", type=int, default=1500)
    args = parser.parse_args(argv)
    reason = why_unavailable()
    if reason:
        print(f"cannot take the screenshot: {reason}", file=sys.stderr)
        return 2
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, serve_app({"QUOTA_OPT_DB": str(Path(tmp) / "runs.sqlite3")}) as url:
        results_screenshot(url, args.out, height=args.height)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
