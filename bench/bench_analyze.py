"""Analysis speed and memory on one core, over a realistic stream.

The stream: about 5 % relevant pieces (synthetic relevant articles of the replay web and the
seed articles), the rest real Russian news (factRuEval-2016 documents), Kazakh news (KazNERD
sentences joined into articles of realistic length) and the replay web's negatives, mixed.
Two child processes, each pinned to one core, run in turn:
  * steppewatch's analysis as `process` runs it (cheap stages first, NER on kept pieces);
  * natasha's full pipeline (segment, morphology, lemmas, NER) on every article.
Also checked: running NER only on kept pieces loses no relevant article compared with running
everything on everything (relevance dev set).

A second stream holds real texts only (``../shared/data``): the relevance dev set's relevant
pieces (real Russian and Kazakh news excerpts; the set has 44, so at 2,000 articles some
repeat to make 5 %) among real negatives (factRuEval-2016 documents, KazNERD sentences and
the dev set's own negatives, joined to article length).
Each side is timed steady (models loaded) and from process start (imports and model loading
included: what a `steppewatch analyze` run or a fresh worker pays).
"""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import random
import resource
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
N = int(os.environ.get("BENCH_ANALYZE_N", "2000"))  # issue 16: a stream of 2,000 articles
RELEVANT_SHARE = 0.05
MIN_CHARS = 1800


def _jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _articles(short: list[tuple[str, str]]) -> list[dict]:
    """Short texts (title, text) joined into pieces of at least MIN_CHARS: real news articles
    run to a few thousand characters, so both sides are timed on realistic lengths."""
    out, title, parts = [], "", []
    for t, text in short:
        title, parts = title or t, [*parts, text]
        if sum(map(len, parts)) >= MIN_CHARS:
            out.append({"title": title, "text": "\n\n".join(parts)})
            title, parts = "", []
    return out


def _kazakh(sentences: list[str]) -> list[dict]:
    """Kazakh pieces of about 2,500 characters (25 sentences each)."""
    return [{"title": "", "text": " ".join(sentences[start:start + 25])}
            for start in range(0, len(sentences) - 25, 25)]


def _mix(rng: random.Random, relevant: list[dict], negatives: list[dict], n: int) -> list[dict]:
    k = max(1, round(n * RELEVANT_SHARE))
    picked = rng.sample(relevant, min(k, len(relevant)))
    # The real set holds fewer relevant pieces than 5 % of a long stream: repeat some (NER
    # keeps no per-text cache, so a repeat costs what a new piece would).
    picked += [rng.choice(relevant) for _ in range(k - len(picked))]
    stream = picked + [rng.choice(negatives) for _ in range(n - k)]
    rng.shuffle(stream)
    return stream


def build_stream(n: int = N, seed: int = 7) -> list[dict]:
    from replayweb import build_corpus

    rng = random.Random(seed)
    corpus = build_corpus()
    relevant = [{"title": p.title, "text": p.text} for p in corpus.pieces if p.relevant]
    relevant += [{"title": "", "text": p.read_text(encoding="utf-8")}
                 for p in sorted((ROOT / "seeds").glob("*.txt"))]
    short = [(p.title, p.text) for p in corpus.pieces if not p.relevant]
    short += [("", r["text"]) for r in _jsonl(SHARED / "ner_ru_dev.jsonl")]
    rng.shuffle(short)
    negatives = _articles(short) + _kazakh([r["text"] for r in _jsonl(SHARED / "ner_kk_dev.jsonl")])
    return _mix(rng, relevant, negatives, n)


def build_real_stream(n: int = N, seed: int = 11) -> list[dict]:
    """Real texts only: relevant dev pieces (~5 %) among real negatives of article length."""
    rng = random.Random(seed)
    dev = _jsonl(SHARED / "relevance_dev.jsonl")
    relevant = [{"title": r.get("title") or "", "text": r["text"]} for r in dev if r["relevant"]]
    short = [("", r["text"]) for r in dev if not r["relevant"] and r["lang"] == "ru"]
    short += [("", r["text"]) for r in _jsonl(SHARED / "ner_ru_dev.jsonl")]
    rng.shuffle(short)
    kk = [r["text"] for r in _jsonl(SHARED / "ner_kk_dev.jsonl")]
    kk += [r["text"] for r in dev if not r["relevant"] and r["lang"] == "kk"]
    rng.shuffle(kk)
    return _mix(rng, relevant, _articles(short) + _kazakh(kk), n)


def _pin() -> None:
    os.environ["OMP_NUM_THREADS"] = os.environ["OPENBLAS_NUM_THREADS"] = "1"
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def _run_steppewatch(stream: list[dict], out: mp.Queue) -> None:
    boot = time.perf_counter()
    _pin()
    from pipeline.analyze import Analyzer
    from pipeline.profile import load_profile

    analyzer = Analyzer(load_profile(), entities="relevant")
    analyzer.analyze(text=stream[0]["text"], title=stream[0]["title"])  # load models
    analyzer.analyze(text="Казахстан и Турция подписали соглашение о военном сотрудничестве.")
    t0 = time.perf_counter()
    relevant = sum(analyzer.analyze(text=a["text"], title=a["title"]).relevant for a in stream)
    end = time.perf_counter()
    out.put({"seconds": end - t0, "total": end - boot, "relevant": relevant,
             "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024})


def _run_natasha(stream: list[dict], out: mp.Queue) -> None:
    boot = time.perf_counter()
    _pin()
    from natasha import Doc, MorphVocab, NewsEmbedding, NewsMorphTagger, NewsNERTagger, Segmenter

    emb = NewsEmbedding()
    seg, morph, ner, vocab = Segmenter(), NewsMorphTagger(emb), NewsNERTagger(emb), MorphVocab()
    t0 = time.perf_counter()
    for a in stream:
        doc = Doc(f"{a['title']}\n{a['text']}")
        doc.segment(seg)
        doc.tag_morph(morph)
        for token in doc.tokens:
            token.lemmatize(vocab)
        doc.tag_ner(ner)
    end = time.perf_counter()
    out.put({"seconds": end - t0, "total": end - boot,
             "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024})


def _child(target, stream: list[dict]) -> dict:
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    proc = ctx.Process(target=target, args=(stream, q))
    proc.start()
    result = q.get()
    proc.join()
    return result


def _lost_relevant() -> tuple[int, int]:
    """Relevant dev pieces found with NER on everything but missed with NER on kept ones."""
    from pipeline.analyze import Analyzer
    from pipeline.profile import load_profile

    rows = _jsonl(SHARED / "relevance_dev.jsonl")
    full = Analyzer(load_profile(), entities="all")
    lazy = Analyzer(load_profile(), entities="relevant")
    lost = found = 0
    for r in rows:
        a = full.analyze(text=r["text"], title=r.get("title") or "").relevant
        b = lazy.analyze(text=r["text"], title=r.get("title") or "").relevant
        found += a
        lost += a and not b
    return lost, found


def _speed(name: str, stream: list[dict]) -> tuple[list[tuple[str, str, str, str]], dict]:
    chars = sum(len(a["text"]) for a in stream) / len(stream)
    ours = _child(_run_steppewatch, stream)
    base = _child(_run_natasha, stream)
    n = len(stream)
    case = f"{name}: {n} articles, {chars:,.0f} chars avg, 1 core"
    steady = (n / ours["seconds"]) / (n / base["seconds"])
    cold = (n / ours["total"]) / (n / base["total"])
    return [
        ("steppewatch analyze", case, f"{n / ours['seconds']:,.1f} art/s", ""),
        ("natasha on every article", case, f"{n / base['seconds']:,.1f} art/s", ""),
        ("speed-up", f"{name}: analyze / natasha, models loaded", f"{steady:,.1f}x", ">= 20x"),
        ("speed-up", f"{name}: from process start (imports, models)", f"{cold:,.1f}x",
         ">= 20x"),
        ("relevant in stream", f"{name}: steppewatch", f"{ours['relevant']}", "~5 %"),
    ], {"ours": ours, "base": base}


def run() -> list[tuple[str, str, str, str]]:
    rows, mixed = _speed("replay + real negatives", build_stream())
    real_rows, _ = _speed("real texts only", build_real_stream())
    lost, found = _lost_relevant()
    return [
        *rows, *real_rows,
        ("peak RSS", "steppewatch analyze", f"{mixed['ours']['rss_mb']:,.0f} MB", "<= 450 MB"),
        ("peak RSS", "natasha", f"{mixed['base']['rss_mb']:,.0f} MB", ""),
        ("relevant lost by lazy NER", "relevance dev", f"{lost} of {found}", "0"),
    ]
