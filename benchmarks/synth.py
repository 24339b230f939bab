"""A synthetic corpus of any size, resampled from the real sentences (seeded, deterministic).

Each synthetic article is a raw ``.txt`` file of about ``article_kb`` KB with
YAML front matter and paragraphs of 3-6 sentences drawn with replacement
from the clean sentences of the five real articles.  The draws differ per
article, so the corpus loader's duplicate checks (same bytes, same clean
text, repeated paragraphs) do not reject them, and every file stays far
below the 5 MB per-article limit.

:func:`write_corpus` also copies the five real articles in (``reference=True``,
the default), so that the two learned coders (the claim types and the stance
tagger) are fitted on their reference coding and predict every synthetic
sentence, as on a real archive; without them both fall back to their rules
and the benchmarks would not measure the predictions.

Run: ``python benchmarks/synth.py OUT_DIR SIZE_MB``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np

from analysis import config
from analysis.corpus.documents import iter_documents

_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]*")


def real_sentences() -> list[str]:
    """The clean sentences of the real corpus (at least 8 characters), in corpus order."""
    out = []
    for doc in iter_documents():
        out += [s.strip() for s in _SENTENCE.findall(doc.text) if len(s.strip()) >= 8]
    return out


def synth_texts(size_mb: float, *, seed: int = config.SEED, article_kb: int = 20):
    """Yield ``(name, text)`` of raw synthetic articles totalling about ``size_mb`` MB (UTF-8).

    Parameters
    ----------
    size_mb : float
        Target total size in MB (10**6 bytes).
    seed : int
        Seed of the resampling; the same seed gives the same files.
    article_kb : int
        Approximate size of one article in KB.
    """
    if size_mb <= 0 or article_kb <= 0:
        raise ValueError("size_mb and article_kb must be positive")
    sents = real_sentences()
    lengths = np.array([len(s.encode("utf-8")) for s in sents])
    rng = np.random.default_rng(seed)
    target, total, k = int(size_mb * 1e6), 0, 0
    while total < target:
        budget = min(article_kb * 1000, target - total)
        head = f"---\ntitle: 合成文章{k:05d}\nname: synth\ntime: 2014-01-01 00:00\n---\n"
        parts, size = [head], len(head.encode("utf-8"))
        while size < budget:
            idx = rng.integers(0, len(sents), size=int(rng.integers(3, 7)))
            para = "".join(sents[i] for i in idx)
            parts.append(para + "\n\n")
            size += int(lengths[idx].sum()) + 2
        text = "".join(parts)
        total += len(text.encode("utf-8"))
        yield f"s{k:05d}.txt", text
        k += 1


def write_corpus(out_dir: Path, size_mb: float, *, seed: int = config.SEED,
                 reference: bool = True) -> tuple[int, int]:
    """Write a synthetic raw corpus; return ``(n_files, n_bytes)``.

    With ``reference`` the five real articles (``data/raw``) come first, and count towards ``size_mb``.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    n = nbytes = 0
    if reference:
        for path in sorted(Path(config.RAW_DIR).glob("*.txt")):
            data = path.read_bytes()
            (out_dir / path.name).write_bytes(data)
            n, nbytes = n + 1, nbytes + len(data)
    for name, text in synth_texts(max(size_mb - nbytes / 1e6, 1e-3), seed=seed):
        data = text.encode("utf-8")
        (out_dir / name).write_bytes(data)
        n, nbytes = n + 1, nbytes + len(data)
    return n, nbytes


if __name__ == "__main__":
    print(write_corpus(Path(sys.argv[1]), float(sys.argv[2])))
