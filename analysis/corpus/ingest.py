"""Corpus ingestion: raw article files to clean, Simplified, traceable records.

A raw article is a UTF-8 ``.txt`` file with optional YAML front matter.  The
cleaning steps, in order, are

1. ``front_matter``  -- parse and remove the YAML header (``title``, ``url``,
   ``name`` = author, ``time`` = date);
2. ``boilerplate``   -- drop whole lines that match a pattern in
   ``data/lexicon/boilerplate.txt`` (reprint notices, comment widgets, ICP
   numbers...), after harvesting metadata from them (author, source);
3. ``duplicates``    -- drop a run-on block that repeats the paragraphs that
   follow it, exact duplicate paragraphs and site teasers that repeat the
   start of a later paragraph;
4. ``pinyin``        -- strip pinyin glosses such as ``區(qū)``;
5. ``nfkc``          -- Unicode NFKC normalisation;
6. ``t2s``           -- Traditional to Simplified with OpenCC ``t2s``.

Each step reports how many characters it removed.  Every character of the
clean text keeps the index of the raw character it came from, so that any
span found later (a claim, a figure) can be quoted exactly from the raw file:
see :meth:`Document.raw_span`.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from analysis import config

__all__ = [
    "CorpusError",
    "Document",
    "load_article",
    "load_corpus",
    "raw_paths",
    "detect_script",
]

CLEANING_STEPS = ("front_matter", "boilerplate", "duplicates", "pinyin", "nfkc", "t2s")
#: Report keys: characters removed by each step, then characters *changed*
#: (not removed) by the two normalisation steps.
REPORT_KEYS = CLEANING_STEPS + ("nfkc_changed", "t2s_changed")

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
#: A pinyin gloss: a parenthesised lowercase syllable with a tone mark, right
#: after a Han character, as in ``區(qū)`` or ``數(shù)``.
PINYIN_GLOSS = re.compile(
    r"(?<=[\u3400-\u9fff])[(（](?=[a-zü" + _TONED + r"]*[" + _TONED + r"])[a-zü" + _TONED + r"]{1,7}[)）]"
)
_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)(?:\r?\n)---[ \t]*(?:\r?\n|\Z)", re.S)


class CorpusError(ValueError):
    """A raw article that cannot be ingested.

    The message always names the file and the problem.

    Parameters
    ----------
    path : pathlib.Path
        The offending file.
    problem : str
        What is wrong with it.
    """

    def __init__(self, path: Path | str, problem: str) -> None:
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"{self.path.name}: {problem}")

    def __reduce__(self):
        # picklable, so errors cross process boundaries (joblib, Dask) intact
        return (type(self), (self.path, self.problem))


@dataclass
class Document:
    """A cleaned article, with a character map back to its raw text.

    Attributes
    ----------
    article_id : str
        The raw file's stem.
    raw_text : str
        The decoded raw file (BOM removed, nothing else touched).
    text : str
        The clean Simplified body; paragraphs separated by ``"\\n\\n"``.
    offsets : list of int
        ``offsets[i]`` is the index in ``raw_text`` of the character that
        produced ``text[i]`` (separators point at the raw line break).
    meta : dict
        ``title``, ``author``, ``source``, ``url``, ``date``, ``script``.
    report : dict
        Characters removed by each cleaning step.
    sha256 : str
        Hash of the raw bytes.
    """

    article_id: str
    raw_text: str
    text: str
    offsets: list[int]
    meta: dict[str, Any] = field(default_factory=dict)
    report: dict[str, int] = field(default_factory=dict)
    sha256: str = ""

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of :attr:`text` to a span of :attr:`raw_text`.

        Parameters
        ----------
        start, end : int
            ``0 <= start < end <= len(text)``.

        Returns
        -------
        (int, int)
            ``(raw_start, raw_end)``, half-open, covering every raw character
            that produced ``text[start:end]``.
        """
        if not 0 <= start < end <= len(self.text):
            raise ValueError(f"span ({start}, {end}) outside text of length {len(self.text)}")
        seg = self.offsets[start:end]
        return min(seg), max(seg) + 1

    def raw_quote(self, start: int, end: int) -> str:
        """Return the raw text behind a span of the clean text."""
        a, b = self.raw_span(start, end)
        return self.raw_text[a:b]

    def paragraphs(self) -> list[tuple[int, int]]:
        """Return the ``(start, end)`` spans of the clean paragraphs."""
        spans, pos = [], 0
        for part in self.text.split("\n\n"):
            spans.append((pos, pos + len(part)))
            pos += len(part) + 2
        return spans

    # -- serialisation -------------------------------------------------
    def to_record(self) -> dict[str, Any]:
        """Return a JSON-serialisable record (offsets run-length encoded)."""
        return {
            "article_id": self.article_id,
            **{k: self.meta.get(k) for k in ("title", "author", "source", "url", "date", "script")},
            "sha256": self.sha256,
            "n_chars_raw": len(self.raw_text),
            "n_chars_clean": len(self.text),
            "cleaning_report": {k: int(self.report.get(k, 0)) for k in REPORT_KEYS},
            "text": self.text,
            "offset_runs": encode_offsets(self.offsets),
        }

    @classmethod
    def from_record(cls, record: dict[str, Any], raw_text: str) -> Document:
        """Rebuild a document from :meth:`to_record` output and its raw text."""
        meta = {k: record.get(k) for k in ("title", "author", "source", "url", "date", "script")}
        return cls(
            article_id=record["article_id"],
            raw_text=raw_text,
            text=record["text"],
            offsets=decode_offsets(record["offset_runs"]),
            meta=meta,
            report=dict(record["cleaning_report"]),
            sha256=record["sha256"],
        )


def encode_offsets(offsets: list[int]) -> list[list[int]]:
    """Run-length encode an offset map as ``[clean_start, raw_start, length]`` runs."""
    runs: list[list[int]] = []
    for i, r in enumerate(offsets):
        if runs and runs[-1][1] + runs[-1][2] == r and runs[-1][0] + runs[-1][2] == i:
            runs[-1][2] += 1
        else:
            runs.append([i, r, 1])
    return runs


def decode_offsets(runs: list[list[int]]) -> list[int]:
    """Invert :func:`encode_offsets`."""
    out: list[int] = []
    for _, raw_start, length in runs:
        out.extend(range(raw_start, raw_start + length))
    return out


# ---------------------------------------------------------------------------
# lexicon data
# ---------------------------------------------------------------------------
def _read_lexicon_lines(path: Path) -> list[str]:
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            lines.append(line.rstrip("\n"))
    return lines


@lru_cache(maxsize=4)
def boilerplate_patterns(path: Path = config.BOILERPLATE_FILE) -> tuple[re.Pattern[str], ...]:
    """Compile the boilerplate line patterns (one regex a line, ``#`` comments)."""
    return tuple(re.compile(p) for p in _read_lexicon_lines(path))


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def detect_script(text: str) -> str:
    """Classify Han text as ``"Traditional"`` or ``"Simplified"``.

    A character counts as Traditional when OpenCC ``t2s`` changes it.  The
    text is Traditional when more than 3% of its Han characters are.
    """
    han = "".join(_CJK.findall(text))
    if not han:
        return "none"
    converted = _t2s().convert(han)
    changed = sum(a != b for a, b in zip(han, converted, strict=False))
    return "Traditional" if changed / len(han) > 0.03 else "Simplified"


# ---------------------------------------------------------------------------
# reading and validating raw files
# ---------------------------------------------------------------------------
def raw_paths(raw_dir: Path = config.RAW_DIR) -> list[Path]:
    """Return the article files (``*.txt``) of a raw directory, sorted by name."""
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise CorpusError(raw_dir, "raw directory does not exist")
    return sorted(p for p in raw_dir.iterdir() if p.suffix == ".txt" and p.is_file())


def decode_raw(path: Path, data: bytes) -> str:
    """Decode raw bytes as UTF-8, rejecting empty, oversized and binary files.

    Raises
    ------
    CorpusError
        With a message that names the file and the problem.
    """
    if len(data) > config.MAX_ARTICLE_BYTES:
        raise CorpusError(
            path, f"file is {len(data):,} bytes, over the {config.MAX_ARTICLE_BYTES:,}-byte limit for one article"
        )
    if not data.strip():
        raise CorpusError(path, "file is empty")
    if b"\x00" in data[:8192]:
        raise CorpusError(path, "binary file (contains NUL bytes), not a text article")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        hint = ""
        for enc in ("gb18030", "big5"):
            try:
                data.decode(enc)
                hint = f"; it decodes as {enc.upper()}: convert it with `iconv -f {enc} -t utf-8`"
                break
            except UnicodeDecodeError:
                continue
        raise CorpusError(path, f"not valid UTF-8 (bad byte at offset {exc.start}){hint}") from None
    text = text.removeprefix("\ufeff")
    controls = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in "\n\r\t")
    if controls > max(8, len(text) // 100):
        raise CorpusError(path, f"binary file ({controls} control characters), not a text article")
    return text


def split_front_matter(path: Path, text: str) -> tuple[dict[str, Any], int]:
    """Parse optional YAML front matter.

    Returns
    -------
    (dict, int)
        The metadata and the offset where the body starts.
    """
    if not text.startswith("---"):
        return {}, 0
    m = _FRONT_MATTER.match(text)
    if not m:
        raise CorpusError(path, "front matter opened with '---' but never closed")
    try:
        meta = yaml.safe_load(m.group(1))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        raise CorpusError(path, f"broken YAML front matter{where}: {getattr(exc, 'problem', exc)}") from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise CorpusError(path, "front matter is not a mapping of key: value pairs")
    if not text[m.end() :].strip():
        raise CorpusError(path, "front matter but no body")
    return {str(k): v for k, v in meta.items()}, m.end()


# ---------------------------------------------------------------------------
# cleaning
# ---------------------------------------------------------------------------
@dataclass
class _Para:
    text: str
    offsets: list[int]


def _lines(text: str, start: int) -> Iterator[_Para]:
    pos = start
    for line in text[start:].splitlines(keepends=True):
        body = line.rstrip("\r\n")
        stripped = body.strip()
        if stripped:
            lead = len(body) - len(body.lstrip())
            a = pos + lead
            yield _Para(stripped, list(range(a, a + len(stripped))))
        pos += len(line)


_META_PATTERNS = {
    "author": [re.compile(r"^作者[:：]\s*(\S{1,20})$"), re.compile(r"文/\s*([^)）]+?)\s*[)）]")],
    "source": [
        re.compile(r"[(（][来來]源[:：]\s*(.+?)\s*(?:文/|[)）])"),
        re.compile(r"转载请注明[:：]\s*(\S+)"),
    ],
    "url": [re.compile(r"(https?://\S+?)[\s,，。)）]*$"), re.compile(r"(www\.[\w.-]+/\S+)$")],
    "date": [re.compile(r"^(\d{4}-\d{2}-\d{2})[ T]\d{2}:\d{2}")],
    "title": [re.compile(r"《(.+?)》")],
}


def _harvest(meta: dict[str, Any], line: str) -> None:
    for key, pats in _META_PATTERNS.items():
        if meta.get(key):
            continue
        for pat in pats:
            m = pat.search(line)
            if m:
                meta[key] = m.group(1).strip()
                break


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _split_run_on(block: _Para, following: list[_Para]) -> tuple[int, list[_Para]] | None:
    """Test whether ``block`` is a run-on copy of the paragraphs that follow it.

    Sites often print an article twice: once as a single run-on block and then
    as paragraphs, where the block still carries the section headings that the
    paragraph version lost.  The paragraphs are matched in order inside the
    block; the unmatched gaps (the headings) are returned as paragraphs of
    their own so nothing is lost.

    Returns
    -------
    (int, list of _Para) or None
        How many following paragraphs the block repeats, and the gap
        paragraphs keyed by position; ``None`` when it is not a run-on block.
    """
    keep = [k for k, c in enumerate(block.text) if not c.isspace()]
    sq = "".join(block.text[k] for k in keep)
    pos, matched, covered = 0, 0, 0
    gaps: list[tuple[int, _Para]] = []
    for j, para in enumerate(following):
        t = _squash(para.text)
        k = sq.find(t, pos)
        if not t or k < 0 or k - pos > 200:
            break
        if k > pos:
            a, b = keep[pos], keep[k - 1] + 1
            raw = block.text[a:b]
            lead = len(raw) - len(raw.lstrip())
            text = raw.strip()
            gaps.append((j, _Para(text, block.offsets[a + lead : a + lead + len(text)])))
        pos, matched, covered = k + len(t), j + 1, covered + len(t)
    if matched < 2 or covered < 0.8 * len(sq) or len(sq) - pos > 200:
        return None
    return matched, gaps


def _drop_duplicates(paras: list[_Para]) -> tuple[list[_Para], int]:
    """Drop run-on blocks, exact repeats and teasers.  Returns (kept, chars removed)."""
    removed = 0
    # 1. run-on blocks, replaced by the paragraphs plus the headings only the block had
    out: list[_Para] = []
    i = 0
    while i < len(paras):
        hit = _split_run_on(paras[i], paras[i + 1 :]) if len(paras[i].text) > 200 else None
        if hit is None:
            out.append(paras[i])
            i += 1
            continue
        n, gaps = hit
        removed += len(paras[i].text) - sum(len(g.text) for _, g in gaps)
        inserts = dict(gaps)
        for j, para in enumerate(paras[i + 1 : i + 1 + n]):
            if j in inserts:
                out.append(inserts[j])
            out.append(para)
        i += 1 + n
    # 2. exact repeats, and 3. teasers repeating the start of a later, longer paragraph
    squashed = [_squash(p.text) for p in out]
    drop: set[int] = set()
    seen: set[str] = set()
    for i, s in enumerate(squashed):
        if s in seen:
            drop.add(i)
            continue
        seen.add(s)
        for t in squashed[i + 1 :]:
            if len(t) > len(s) >= 20 and t[:20] == s[:20]:
                drop.add(i)
                break
    removed += sum(len(out[i].text) for i in drop)
    return [p for i, p in enumerate(out) if i not in drop], removed


def _map_chars(text: str, offsets: list[int], fn) -> tuple[str, list[int]]:
    out, offs = [], []
    for ch, o in zip(text, offsets, strict=True):
        new = fn(ch)
        out.append(new)
        offs.extend([o] * len(new))
    return "".join(out), offs


def _n_changed(a: str, b: str) -> int:
    """Characters that differ between two versions of a text (aligned when equal length)."""
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True))
    return abs(len(a) - len(b)) + sum(x != y for x, y in zip(a, b, strict=False))


def _convert_t2s(text: str, offsets: list[int]) -> tuple[str, list[int]]:
    conv = _t2s().convert(text)
    if len(conv) == len(text):
        return conv, offsets
    return _map_chars(text, offsets, _t2s().convert)


def clean(path: Path, raw_text: str, *, boilerplate: Iterable[re.Pattern[str]] | None = None) -> Document:
    """Run every cleaning step on one decoded raw article.

    Parameters
    ----------
    path : pathlib.Path
        The raw file (its stem becomes the article id; used in errors).
    raw_text : str
        The decoded file content.
    boilerplate : iterable of compiled regex, optional
        Line patterns to drop; defaults to ``data/lexicon/boilerplate.txt``.

    Returns
    -------
    Document

    Raises
    ------
    CorpusError
        If nothing but boilerplate is left, or the text has no Chinese.
    """
    path = Path(path)
    patterns = tuple(boilerplate) if boilerplate is not None else boilerplate_patterns()
    report = dict.fromkeys(REPORT_KEYS, 0)
    front, body_start = split_front_matter(path, raw_text)
    report["front_matter"] = body_start
    meta: dict[str, Any] = {
        "title": front.get("title"),
        "author": front.get("name") or front.get("author"),
        "url": front.get("url"),
        "date": str(front["time"])[:10] if front.get("time") else None,
        "source": None,
    }

    paras, report["duplicates"] = _drop_duplicates(list(_lines(raw_text, body_start)))
    kept: list[_Para] = []
    for para in paras:
        if any(p.search(para.text) for p in patterns):
            _harvest(meta, para.text)
            report["boilerplate"] += len(para.text)
        else:
            kept.append(para)
    paras = kept
    # metadata carried inside the kept text, such as a "(来源: ... 文/...)" trailer
    for para in paras[-2:]:
        for key in ("author", "source"):
            if not meta.get(key):
                for pat in _META_PATTERNS[key]:
                    m = pat.search(para.text)
                    if m:
                        meta[key] = m.group(1).strip()
                        break
    if not paras:
        raise CorpusError(path, "nothing left after removing boilerplate: the file is all boilerplate")

    # join paragraphs; separators map to the raw character after the paragraph
    text_parts: list[str] = []
    offs: list[int] = []
    for k, p in enumerate(paras):
        if k:
            text_parts.append("\n\n")
            offs.extend([offs[-1] + 1] * 2)
        text_parts.append(p.text)
        offs.extend(p.offsets)
    text = "".join(text_parts)
    script = detect_script(text)
    if script == "none":
        raise CorpusError(path, "no Chinese text in the body")

    # pinyin glosses (before any normalisation)
    keep = [True] * len(text)
    for m in PINYIN_GLOSS.finditer(text):
        for i in range(m.start(), m.end()):
            keep[i] = False
    before = len(text)
    offs = [o for o, k in zip(offs, keep, strict=True) if k]
    text = "".join(c for c, k in zip(text, keep, strict=True) if k)
    report["pinyin"] = before - len(text)

    before = text
    text, offs = _map_chars(text, offs, lambda c: unicodedata.normalize("NFKC", c))
    report["nfkc"] = max(0, len(before) - len(text))
    report["nfkc_changed"] = _n_changed(before, text)

    before = text
    text, offs = _convert_t2s(text, offs)
    report["t2s"] = max(0, len(before) - len(text))
    report["t2s_changed"] = _n_changed(before, text)

    if not meta.get("title"):
        meta["title"] = paras[0].text if len(paras[0].text) <= 80 else None
    meta["script"] = script
    for key in ("title", "author", "source"):
        if meta.get(key):
            meta[key] = _t2s().convert(unicodedata.normalize("NFKC", str(meta[key])))
    return Document(
        article_id=path.stem,
        raw_text=raw_text,
        text=text,
        offsets=offs,
        meta=meta,
        report=report,
        sha256="",
    )


def load_article(path: Path) -> Document:
    """Read, validate and clean one raw article file.

    Raises
    ------
    CorpusError
        With a message naming the file and the problem.
    """
    path = Path(path)
    if not path.is_file():
        raise CorpusError(path, "no such file")
    data = path.read_bytes()
    raw_text = decode_raw(path, data)
    doc = clean(path, raw_text)
    doc.sha256 = hashlib.sha256(data).hexdigest()
    return doc


def load_corpus(
    paths: Iterable[Path], *, skip_bad: bool = False, warn=None
) -> tuple[list[Document], list[CorpusError]]:
    """Load several articles, checking for duplicates across them.

    Parameters
    ----------
    paths : iterable of pathlib.Path
    skip_bad : bool, default False
        Skip a bad file (reporting it through ``warn``) instead of raising.
    warn : callable, optional
        Called with each skipped :class:`CorpusError`.

    Returns
    -------
    (list of Document, list of CorpusError)
        The good documents, in input order, and the skipped errors.
    """
    docs: list[Document] = []
    errors: list[CorpusError] = []
    by_hash: dict[str, str] = {}
    by_text: dict[str, str] = {}
    for path in paths:
        try:
            doc = load_article(path)
            other = by_hash.get(doc.sha256) or by_text.get(_squash(doc.text))
            if other is not None:
                raise CorpusError(path, f"duplicate article: same content as {other}")
        except CorpusError as err:
            if not skip_bad:
                raise
            errors.append(err)
            if warn is not None:
                warn(err)
            continue
        by_hash[doc.sha256] = Path(path).name
        by_text[_squash(doc.text)] = Path(path).name
        docs.append(doc)
    return docs, errors
