"""Figure styling: one place that registers the CJK font and sets the theme.

The font is Noto Sans SC from the pip package ``pylopdf-fonts-zh-cn`` (OFL),
so Chinese labels render without any system font.  ``sns.set_theme`` resets
fonts, so the font is always passed *through* it.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from pathlib import Path

__all__ = ["cjk_font_path", "cjk_font_name", "set_style"]


def cjk_font_path() -> Path:
    """Path of the bundled Noto Sans SC font file.

    Returns
    -------
    pathlib.Path
        ``NotoSansSC-Regular.otf`` inside the ``pylopdf_fonts_zh_cn`` package.
    """
    return Path(str(files("pylopdf_fonts_zh_cn") / "NotoSansSC-Regular.otf"))


@lru_cache(maxsize=1)
def cjk_font_name() -> str:
    """Register the CJK font with matplotlib (once) and return its family name.

    Returns
    -------
    str
        The family name, ``"Noto Sans SC"``.
    """
    from matplotlib import font_manager

    path = str(cjk_font_path())
    font_manager.fontManager.addfont(path)
    return font_manager.FontProperties(fname=path).get_name()


def set_style(context: str = "notebook") -> str:
    """Apply the book's seaborn theme with the CJK font.

    Parameters
    ----------
    context : str, default "notebook"
        The seaborn context (``"paper"``, ``"notebook"``, ``"talk"``...).

    Returns
    -------
    str
        The font family name.
    """
    import matplotlib
    import seaborn as sns

    name = cjk_font_name()
    sns.set_theme(
        context=context,
        style="whitegrid",
        font=name,
        rc={"font.sans-serif": [name, "DejaVu Sans"], "axes.unicode_minus": False, "figure.dpi": 100,
            "svg.hashsalt": "laiwang", "savefig.dpi": 100},
    )
    matplotlib.rcParams["figure.max_open_warning"] = 0
    return name
