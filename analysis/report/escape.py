r"""Escaping: the one place that makes untrusted text safe to emit as HTML or MyST Markdown.

Article text (sentences, titles, authors, URLs) is untrusted.  Everything
that :mod:`analysis.report` emits passes through one of these functions:

:func:`esc`
    HTML text *or* a double-quoted attribute value, on one line: ``& < > " '``
    become character references, every line break becomes a space (a blank
    line would end a CommonMark raw HTML block, after which MyST parses the
    rest as Markdown) and the MyST substitution braces ``{ }`` become
    ``&#123; &#125;``.
:func:`md_escape`
    One line of MyST Markdown (a heading, a bullet): whitespace runs collapse
    and every ASCII punctuation character is backslash-escaped, which
    CommonMark reads as the literal character, so no role, substitution,
    dollar maths, emphasis or link can start.
:func:`heading_text`
    :func:`md_escape` plus full-width look-alikes for ``< > &``, for page
    titles (themes re-use titles unescaped).
:func:`safe_url`
    An absolute ``http(s)`` URL, or ``None``: anything else is shown as text.
:func:`link`
    An ``<a>`` element built from a generated href and a label, both escaped.
:func:`zh_quote`
    A Chinese sentence quoted with its English: ``<span lang="zh" class="zh-quote">``
    followed by ``<span class="en">``, the book's one bilingual markup (its
    browser test checks that every quote on a page has its English).
:func:`json_script`
    Data as JSON for an inline ``<script type="application/json">`` block:
    ``< > &`` and the two JavaScript line separators become ``\\uXXXX``
    escapes, so no ``</script>`` (or ``<!--``) can end the block early.
"""

from __future__ import annotations

import html
import json
import re
from urllib.parse import urlsplit

__all__ = ["esc", "md_escape", "heading_text", "safe_url", "link", "zh_span", "en_span", "zh_quote",
           "json_script"]

_ASCII_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")
_WS = re.compile(r"\s+")
#: Everything that some parser may treat as a line break.
_LINE_BREAKS = re.compile(r"[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")
#: Characters that may not reach a page title (see :func:`heading_text`), and their full-width look-alikes.
_TITLE_UNSAFE = str.maketrans({"<": "\uff1c", ">": "\uff1e", "&": "\uff06"})


def _is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def esc(value: object) -> str:
    """Escape any value for HTML text or a double-quoted attribute, on one line.

    Parameters
    ----------
    value : object
        Converted with ``str``; ``None`` and NaN become the empty string.

    Returns
    -------
    str
        ``html.escape(text, quote=True)`` of the text with line breaks turned
        into spaces, and ``{``, ``}`` written as ``&#123;``, ``&#125;``.
    """
    if _is_missing(value):
        return ""
    text = _LINE_BREAKS.sub(" ", str(value))
    return html.escape(text, quote=True).replace("{", "&#123;").replace("}", "&#125;")


def md_escape(value: object) -> str:
    """Escape text for a single line of MyST Markdown.

    Parameters
    ----------
    value : object
        Converted with ``str``; ``None`` and NaN become the empty string.

    Returns
    -------
    str
        The text with whitespace runs collapsed to one space, stripped, and
        every ASCII punctuation character backslash-escaped.
    """
    if _is_missing(value):
        return ""
    text = _WS.sub(" ", str(value)).strip()
    return _ASCII_PUNCT.sub(r"\\\1", text)


def heading_text(value: object) -> str:
    """Make untrusted text safe for a page title, beyond Markdown escaping.

    Sphinx escapes a title correctly, but themes re-use it: sphinx-book-theme
    prints ``{{ pagetitle }}`` (the title with tags stripped and entities
    *unescaped*) unescaped in its print header, and Sphinx's search shows
    titles with ``innerHTML``.  So ``<``, ``>`` and ``&`` are replaced by their
    full-width look-alikes (＜ ＞ ＆); the exact title is shown, escaped, in
    the page's metadata table.

    Parameters
    ----------
    value : object

    Returns
    -------
    str
        Markdown-escaped text (:func:`md_escape`) without ``< > &``.
    """
    return md_escape(_WS.sub(" ", str(value)).translate(_TITLE_UNSAFE))


def safe_url(url: object) -> str | None:
    """Return ``url`` if it is an absolute ``http(s)`` URL with a host, else ``None``.

    Parameters
    ----------
    url : object
        Anything; only a ``str`` can qualify.

    Returns
    -------
    str or None
        The stripped URL, or ``None`` for ``javascript:``, ``data:``,
        relative or protocol-relative paths, or whitespace or control
        characters inside.
    """
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not url or any(c.isspace() or ord(c) < 32 for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url


def link(href: str, label: object, *, code: bool = False, title: str | None = None,
         css_class: str | None = None, rel: str | None = None) -> str:
    """An ``<a>`` element with an escaped href, label and attributes.

    Parameters
    ----------
    href : str
        A generated, trusted href (:func:`analysis.extract.ids.source_href`,
        :func:`safe_url` output...); it is escaped, not checked.
    label : object
        The link text, escaped with :func:`esc`.
    code : bool, default False
        Show the label as ``<code>``.
    title, css_class, rel : str, optional
        The ``title``, ``class`` and ``rel`` attributes.

    Returns
    -------
    str
        One line of HTML.
    """
    attrs = "".join(f' {name}="{esc(value)}"' for name, value in
                    (("class", css_class), ("href", href), ("rel", rel), ("title", title)) if value)
    text = f"<code>{esc(label)}</code>" if code else esc(label)
    return f"<a{attrs}>{text}</a>"


def zh_span(text: object) -> str:
    """Escaped Chinese text in a ``<span lang="zh">`` (for fonts and screen readers).

    Parameters
    ----------
    text : object

    Returns
    -------
    str
    """
    return f'<span lang="zh">{esc(text)}</span>'


#: What an English span says about its translation, by status (see :mod:`analysis.report.translations`).
STALE_NOTE = "(translation out of date)"
MISSING_NOTE = "(no English translation yet)"


def en_span(en: object, status: str = "current") -> str:
    """The English of a sentence, escaped, in ``<span class="en" lang="en">``.

    Parameters
    ----------
    en : object
        The English text.
    status : {"current", "stale", "missing"}, default "current"
        A stale translation is shown with :data:`STALE_NOTE`; a missing one
        (or an empty text) as :data:`MISSING_NOTE`, with the class ``missing``.

    Returns
    -------
    str
        One line of HTML.
    """
    text = esc(en).strip()
    if status == "missing" or not text:
        return f'<span class="en missing" lang="en">{esc(MISSING_NOTE)}</span>'
    if status == "stale":
        text += f' <span class="stale-note">{esc(STALE_NOTE)}</span>'
    return f'<span class="en" lang="en">{text}</span>'


def zh_quote(zh: object, en: object, status: str = "current", *, mark: tuple[int, int] | None = None) -> str:
    """A Chinese sentence and its English, next to each other (one line of HTML).

    Parameters
    ----------
    zh : object
        The Chinese sentence (untrusted: escaped).
    en : object
        Its English (escaped), see :func:`en_span`.
    status : {"current", "stale", "missing"}, default "current"
        The translation's status.
    mark : tuple of int, optional
        ``(start, end)`` offsets of a part of ``zh`` to highlight with ``<mark>``
        (a quoted figure).

    Returns
    -------
    str
        ``<span lang="zh" class="zh-quote">…</span><span class="en" lang="en">…</span>``.
    """
    text = "" if _is_missing(zh) else str(zh)
    if mark is not None and 0 <= mark[0] < mark[1] <= len(text):
        a, b = mark
        body = f"{esc(text[:a])}<mark>{esc(text[a:b])}</mark>{esc(text[b:])}"
    else:
        body = esc(text)
    return f'<span lang="zh" class="zh-quote">{body}</span>{en_span(en, status)}'


#: Characters written as ``\\uXXXX`` inside an inline JSON script block (see :func:`json_script`).
_JSON_SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028",
                       "\u2029": "\\u2029"}


def json_script(value: object) -> str:
    """Serialise data as JSON that is safe inside an inline ``<script type="application/json">`` element.

    The HTML parser ends a script element at the first ``</script`` whatever the script's type, and
    ``<!--`` changes how it reads what follows; writing every ``<``, ``>`` and ``&`` as a JSON ``\\u``
    escape (which ``JSON.parse`` turns back into the character) makes both impossible.  U+2028 and U+2029
    are escaped too, for any reader that treats them as line breaks.

    Parameters
    ----------
    value : object
        Anything :func:`json.dumps` accepts; NaN and infinities are refused (``JSON.parse`` rejects them).

    Returns
    -------
    str
        Compact JSON (no spaces), keys in the order given, non-ASCII text kept as is.

    Raises
    ------
    ValueError
        If ``value`` holds NaN or an infinity.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return "".join(_JSON_SCRIPT_UNSAFE.get(ch, ch) for ch in text)
