"""Throughput: eventscope end to end against spaCy parsing the same sentences.

    python benchmarks/throughput.py [--articles 2000] [--json OUT] [--workers N] [--compare-prefilter]
                                    [--compare-ner]

Builds a reproducible corpus (benchmarks/corpus.py: political sentences from ../shared/eval mixed with news
sentences, about 600 words an article), then measures, each in a fresh process:

(a) the baseline: spaCy's ``nlp.pipe`` over every sentence of the corpus with the full pipeline of the model the
    coder loads, as spaCy runs it (without eventscope.nlp's faster attribute-ruler lookup), ``n_process`` = the
    workers of (b);
(b) ``eventscope.pipeline.run`` on the corpus file into a new DuckDB store, default workers (all cores):
    reading, cleaning, story detection, coding and storing, worker start-up included;
(c) with ``--compare-prefilter``, (b) again without the sentence pre-filter;
(d) with ``--compare-ner``, (b) again with spaCy's statistical entity recognizer in place of eventscope.entities.

Prints the figures and writes them as JSON: articles_per_s, baseline_articles_per_s, ratio_vs_spacy_parse,
peak_rss_mb (main process and workers, summed peaks), events, workers, and more. The machine may be busy with
other work: the CPU seconds of each part (``cpu_s``, all its processes) are given too, and their ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


def _part_baseline(corpus: Path, workers: int) -> dict:
    import spacy

    from eventscope.nlp import MODEL
    from eventscope.workers import peak_rss_mb

    sentences = []
    for line in corpus.read_text(encoding="utf-8").splitlines():
        sentences.extend(json.loads(line)["_sentences"])
    nlp = spacy.load(MODEL)  # spaCy as installed: not sped up by eventscope.nlp (its attribute-ruler lookup)
    started = time.perf_counter()
    n_tokens = 0
    for doc in nlp.pipe(sentences, n_process=workers):
        n_tokens += len(doc)
    elapsed = time.perf_counter() - started
    return {"elapsed_s": elapsed, "sentences": len(sentences), "tokens": n_tokens, "peak_rss_mb": peak_rss_mb()}


def _part_eventscope(corpus: Path, workers: int | None, prefilter: bool, ner: bool = False) -> dict:
    from eventscope.coder import CoderConfig
    from eventscope.pipeline import run

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        started = time.perf_counter()
        summary = run([corpus], db, workers=workers, config=CoderConfig(prefilter=prefilter, ner=ner,
                                                                        user_kb=False))
        elapsed = time.perf_counter() - started
        size = db.stat().st_size
    return {"elapsed_s": elapsed, "coded": summary.coded, "events": summary.events,
            "event_mentions": summary.event_mentions, "near_duplicates": summary.near_duplicates,
            "workers": summary.workers, "peak_rss_mb": summary.peak_rss_mb, "db_mb": size / 1e6}


def _in_subprocess(part: str, corpus: Path, workers: int | None, extra: list[str] | None = None) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--part", part, "--corpus", str(corpus)]
    if workers:
        cmd += ["--workers", str(workers)]
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(cmd + (extra or []), env=env, capture_output=True, text=True, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if out.returncode != 0:
        raise SystemExit(f"{part} failed:\n{out.stderr}")
    result = json.loads(out.stdout.strip().splitlines()[-1])
    # CPU seconds of the part and every process it started: a figure other load on the machine barely moves
    result["cpu_s"] = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--json", type=Path, help="write the figures here")
    ap.add_argument("--workers", type=int, default=None, help="default: all cores")
    ap.add_argument("--compare-prefilter", action="store_true", help="also run without the sentence pre-filter")
    ap.add_argument("--compare-ner", action="store_true",
                    help="also run with spaCy's statistical entity recognizer (--ner) in place of eventscope.entities")
    ap.add_argument("--part", choices=["baseline", "eventscope", "eventscope-noprefilter", "eventscope-ner"],
                    help=argparse.SUPPRESS)
    ap.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.part:
        workers = args.workers or os.cpu_count() or 1
        if args.part == "baseline":
            result = _part_baseline(args.corpus, workers)
        else:
            result = _part_eventscope(args.corpus, args.workers, args.part != "eventscope-noprefilter",
                                      ner=args.part == "eventscope-ner")
        print(json.dumps(result))
        return

    sys.path.insert(0, str(HERE))
    from corpus import build_corpus, write_corpus

    workers = args.workers or os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        articles = build_corpus(args.articles)
        stats = write_corpus(corpus, articles)
        # the baseline reads the sentences as the corpus made them
        with open(corpus.with_suffix(".sentences.jsonl"), "w", encoding="utf-8") as fh:
            for a in articles:
                fh.write(json.dumps({"_sentences": a["_sentences"]}) + "\n")
        print(f"corpus: {stats['articles']} articles, {stats['words']} words ({stats['words_per_article']} an "
              f"article), {stats['sentences']} sentences, political share {stats['political_share']}")
        print(f"machine: {os.cpu_count()} cores, load average before: {os.getloadavg()[0]:.2f}")
        base = _in_subprocess("baseline", corpus.with_suffix(".sentences.jsonl"), workers)
        print(f"(a) spaCy nlp.pipe, every sentence, n_process={workers}: {base['elapsed_s']:.1f} s, "
              f"{stats['articles'] / base['elapsed_s']:.1f} articles/s, {base['tokens'] / base['elapsed_s']:.0f} "
              f"tokens/s")
        full = _in_subprocess("eventscope", corpus, args.workers)
        print(f"(b) eventscope run into DuckDB, {full['workers']} workers: {full['elapsed_s']:.1f} s, "
              f"{full['coded'] / full['elapsed_s']:.1f} articles/s, {full['events']} events, "
              f"{full['event_mentions']} mentions, {full['near_duplicates']} near-duplicates, "
              f"peak RSS {full['peak_rss_mb']:.0f} MB")
        plain = None
        if args.compare_prefilter:
            plain = _in_subprocess("eventscope-noprefilter", corpus, args.workers)
            print(f"(c) the same without the pre-filter: {plain['elapsed_s']:.1f} s, "
                  f"{plain['coded'] / plain['elapsed_s']:.1f} articles/s, {plain['events']} events")
        statistical = None
        if args.compare_ner:
            statistical = _in_subprocess("eventscope-ner", corpus, args.workers)
            print(f"(d) the same with spaCy's entity recognizer (--ner): {statistical['elapsed_s']:.1f} s, "
                  f"{statistical['coded'] / statistical['elapsed_s']:.1f} articles/s, {statistical['events']} events")
        load_after = os.getloadavg()[0]
    figures = {
        "articles_per_s": round(full["coded"] / full["elapsed_s"], 2),
        "baseline_articles_per_s": round(stats["articles"] / base["elapsed_s"], 2),
        "ratio_vs_spacy_parse": round(base["elapsed_s"] / full["elapsed_s"], 3),
        "peak_rss_mb": round(full["peak_rss_mb"], 1) if full["peak_rss_mb"] is not None else None,
        "events": full["events"],
        "workers": full["workers"],
        "cores": os.cpu_count(),
        "articles": stats["articles"],
        "words_per_article": stats["words_per_article"],
        "political_share": stats["political_share"],
        "event_mentions": full["event_mentions"],
        "near_duplicates": full["near_duplicates"],
        "elapsed_s": round(full["elapsed_s"], 1),
        "baseline_elapsed_s": round(base["elapsed_s"], 1),
        "baseline_peak_rss_mb": round(base["peak_rss_mb"], 1) if base["peak_rss_mb"] else None,
        "load_average_after": round(load_after, 2),
        "cpu_s": round(full["cpu_s"], 1),
        "baseline_cpu_s": round(base["cpu_s"], 1),
        "ratio_cpu_time": round(base["cpu_s"] / full["cpu_s"], 3),
    }
    if plain is not None:
        figures["noprefilter_articles_per_s"] = round(plain["coded"] / plain["elapsed_s"], 2)
        figures["prefilter_speedup"] = round(plain["elapsed_s"] / full["elapsed_s"], 3)
        figures["noprefilter_events"] = plain["events"]
        figures["prefilter_speedup_cpu"] = round(plain["cpu_s"] / full["cpu_s"], 3)
    if statistical is not None:
        figures["ner_articles_per_s"] = round(statistical["coded"] / statistical["elapsed_s"], 2)
        figures["ner_cpu_s"] = round(statistical["cpu_s"], 1)
        figures["ner_events"] = statistical["events"]
        figures["entities_speedup_cpu"] = round(statistical["cpu_s"] / full["cpu_s"], 3)
    print(json.dumps(figures, indent=1))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
