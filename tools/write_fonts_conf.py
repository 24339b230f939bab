"""Write a fontconfig file that adds the pip-installed Noto Sans SC font.

Chromium (for screenshots and the browser tests) reads fonts through
fontconfig; pointing ``FONTCONFIG_FILE`` at this file lets it draw Chinese
without any system font package.  Usage: ``python tools/write_fonts_conf.py OUT``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from analysis.report.style import cjk_font_path

TEMPLATE = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>{font_dir}</dir>
  <cachedir>{cache_dir}</cachedir>
  <alias><family>sans-serif</family><prefer><family>Noto Sans SC</family></prefer></alias>
</fontconfig>
"""


def main(out: str) -> None:
    out_path = Path(out).resolve()
    out_path.parent.mkdir(parents=True, exist_ok=True)
    text = TEMPLATE.format(font_dir=cjk_font_path().parent, cache_dir=out_path.parent / "fontconfig")
    out_path.write_text(text, encoding="utf-8")
    print(f"wrote {out_path}")


if __name__ == "__main__":
    main(sys.argv[1])
