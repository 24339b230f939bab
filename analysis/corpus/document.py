r"""A cleaned article and its character map back to the raw file.

A :class:`Document` holds the raw text of an article and the clean text that
:mod:`analysis.corpus.ingest` makes of it, together with the offset map

.. math::

    \text{offsets}[i] = \text{the index in raw\_text of the character that produced text}[i],

so that any half-open span :math:`[a, b)` of the clean text is quoted from the
raw file as ``raw_text[min(offsets[a:b]) : max(offsets[a:b]) + 1]``
(:meth:`Document.raw_span`).  Cleaning only drops characters and maps one raw
character to one or more clean ones, so the map is non-decreasing inside a
paragraph.  On disk the map is run-length encoded as ``[clean_start,
raw_start, length]`` runs (:func:`encode_offsets`), one JSON record per
article (:meth:`Document.to_record`).

:class:`CorpusError` is the one error of the corpus: a raw article that
cannot be ingested, named with its problem.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

__all__ = [
    "CLEANING_STEPS",
    "REPORT_KEYS",
    "META_KEYS",
    "CorpusError",
    "Document",
    "encode_offsets",
    "decode_offsets",
]

#: The cleaning steps of :mod:`analysis.corpus.ingest`, in report order (``duplicates`` runs before
#: ``boilerplate``: see the module docstring there).
CLEANING_STEPS: tuple[str, ...] = ("front_matter", "boilerplate", "duplicates", "pinyin", "nfkc", "t2s")
#: Keys of a document's cleaning report: characters removed by each step, then
#: characters *changed* (not removed) by the two normalisation steps.
REPORT_KEYS: tuple[str, ...] = CLEANING_STEPS + ("nfkc_changed", "t2s_changed")
#: The metadata of a document, in record order.
META_KEYS: tuple[str, ...] = ("title", "author", "source", "url", "date", "script")


class CorpusError(ValueError):
    """A raw article that cannot be ingested.

    The message always names the file and the problem.

    Parameters
    ----------
    path : pathlib.Path or str
        The offending file.
    problem : str
        What is wrong with it.
    """

    def __init__(self, path: Path | str, problem: str) -> None:
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"{self.path.name}: {problem}")

    def __reduce__(self) -> tuple[type, tuple[Path, str]]:
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
        Characters removed by each cleaning step (:data:`REPORT_KEYS`).
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

        Raises
        ------
        ValueError
            If the span is empty or outside the text.
        """
        if not 0 <= start < end <= len(self.text):
            raise ValueError(f"span ({start}, {end}) outside text of length {len(self.text)}")
        seg = self.offsets[start:end]
        return min(seg), max(seg) + 1

    def raw_quote(self, start: int, end: int) -> str:
        """The raw text behind a span of the clean text.

        Parameters
        ----------
        start, end : int
            A half-open span of :attr:`text`, as in :meth:`raw_span`.

        Returns
        -------
        str
            ``raw_text[raw_start:raw_end]``.
        """
        a, b = self.raw_span(start, end)
        return self.raw_text[a:b]

    def paragraphs(self) -> list[tuple[int, int]]:
        """The spans of the clean paragraphs.

        Returns
        -------
        list of (int, int)
            Half-open ``(start, end)`` spans of :attr:`text`, in order.
        """
        spans, pos = [], 0
        for part in self.text.split("\n\n"):
            spans.append((pos, pos + len(part)))
            pos += len(part) + 2
        return spans

    # -- serialisation -------------------------------------------------
    def to_record(self) -> dict[str, Any]:
        """The document as a JSON-serialisable record (offsets run-length encoded).

        Returns
        -------
        dict
            ``article_id``, the :data:`META_KEYS`, ``sha256``, ``n_chars_raw``,
            ``n_chars_clean``, ``cleaning_report``, ``text`` and ``offset_runs``.
            The raw text is not included: it stays in ``data/raw``.
        """
        return {
            "article_id": self.article_id,
            **{k: self.meta.get(k) for k in META_KEYS},
            "sha256": self.sha256,
            "n_chars_raw": len(self.raw_text),
            "n_chars_clean": len(self.text),
            "cleaning_report": {k: int(self.report.get(k, 0)) for k in REPORT_KEYS},
            "text": self.text,
            "offset_runs": encode_offsets(self.offsets),
        }

    @classmethod
    def from_record(cls, record: dict[str, Any], raw_text: str) -> Document:
        """Rebuild a document from :meth:`to_record` output and its raw text.

        Parameters
        ----------
        record : dict
            A record written by :meth:`to_record`.
        raw_text : str
            The decoded raw file.

        Returns
        -------
        Document
        """
        return cls(
            article_id=record["article_id"],
            raw_text=raw_text,
            text=record["text"],
            offsets=decode_offsets(record["offset_runs"]),
            meta={k: record.get(k) for k in META_KEYS},
            report=dict(record["cleaning_report"]),
            sha256=record["sha256"],
        )


def encode_offsets(offsets: list[int]) -> list[list[int]]:
    """Run-length encode an offset map.

    Parameters
    ----------
    offsets : list of int
        ``offsets[i]`` is the raw index of clean character ``i``.

    Returns
    -------
    list of [int, int, int]
        ``[clean_start, raw_start, length]`` runs over which both indices
        advance by one.
    """
    if not len(offsets):
        return []
    arr = np.asarray(offsets, dtype=np.int64)
    # a run continues while the raw index advances by exactly one
    starts = np.concatenate(([0], np.flatnonzero(np.diff(arr) != 1) + 1))
    lengths = np.diff(np.concatenate((starts, [len(arr)])))
    return [[int(i), int(arr[i]), int(n)] for i, n in zip(starts, lengths, strict=True)]


def decode_offsets(runs: list[list[int]]) -> list[int]:
    """Invert :func:`encode_offsets`.

    Parameters
    ----------
    runs : list of [int, int, int]
        ``[clean_start, raw_start, length]`` runs, in order.

    Returns
    -------
    list of int
        The offset map.
    """
    out: list[int] = []
    for _, raw_start, length in runs:
        out.extend(range(raw_start, raw_start + length))
    return out
