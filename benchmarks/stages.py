"""Where a run's CPU goes: exclusive CPU seconds per stage of ``eventscope.pipeline.run`` with one worker.

    python benchmarks/stages.py [--articles 250] [--json OUT]

Builds the corpus of benchmarks/throughput.py (benchmarks/corpus.py), runs it into a new DuckDB store in this
process and times the stage functions listed in STAGES with the process CPU clock. A stage's time excludes the
stages it calls (the parse is not counted in "coding: patterns", say); what no stage covers is "other" (the
run's own loop, reading the file, opening the store). Unlike cProfile, the timers sit only on these functions, so
the shares are those of a normal run. CPU time, not wall time: the figures hold on a busy machine.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import json
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent

# (module, function or Class.method, stage)
STAGES = [
    ("eventscope.pipeline", "prepare_article", "read: clean and date"),
    ("eventscope.dedup", "signature", "dedup: MinHash"),
    ("eventscope.dedup", "StoryIndex.assign_signature", "dedup: LSH"),
    ("eventscope.coder", "Coder.from_config", "coder start-up (model, dictionaries, gazetteer)"),
    ("eventscope.coder", "Coder._sentences", "coding: split and tokenize"),
    ("eventscope.prefilter", "SentenceFilter.check", "coding: pre-filter"),
    ("eventscope.prefilter", "SentenceFilter.needs_coref", "coding: pre-filter"),
    ("eventscope.coder", "Coder._parse", "coding: spaCy parse and entities"),
    ("eventscope.actors", "ArticleActors.sentence", "coding: actors"),
    ("eventscope.events", "SentenceCoder.__init__", "coding: actors"),
    ("eventscope.events", "SentenceCoder.code", "coding: patterns"),
    ("eventscope.geo", "find_places", "coding: places"),
    ("eventscope.geo", "event_location", "coding: places"),
    ("eventscope.geo", "dateline_place", "coding: places"),
    ("eventscope.dates", "find_dates", "coding: dates"),
    ("eventscope.dates", "event_date", "coding: dates"),
    ("eventscope.coder", "Coder._events", "coding: event records"),
    ("eventscope.coder", "Coder._story_discard", "coding: discards"),
    ("eventscope.coder", "Coder._sentence_discard", "coding: discards"),
    ("eventscope.pipeline", "write_batch", "store: write"),
]


class StageClock:
    """Exclusive CPU time per stage: each timed call's time, less that of the timed calls it makes."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self._inner: list[float] = []

    def wrap(self, module: str, qualname: str, stage: str) -> None:
        mod = importlib.import_module(module)
        *path, name = qualname.split(".")
        owner = mod
        for part in path:
            owner = getattr(owner, part)
        raw = inspect.getattr_static(owner, name)
        func = raw.__func__ if isinstance(raw, (classmethod, staticmethod)) else raw
        if inspect.isgeneratorfunction(func):
            raise SystemExit(f"{module}.{qualname} is a generator: its time cannot be taken per call")
        clock, inner, seconds, calls = time.process_time, self._inner, self.seconds, self.calls

        def timed(*args, **kwargs):
            started = clock()
            inner.append(0.0)
            try:
                return func(*args, **kwargs)
            finally:
                spent = clock() - started
                seconds[stage] += spent - inner.pop()
                calls[stage] += 1
                if inner:
                    inner[-1] += spent

        wrapped = type(raw)(timed) if isinstance(raw, (classmethod, staticmethod)) else timed
        setattr(owner, name, wrapped)
        if not path:  # a module function: also where other modules imported it by name
            for other in list(sys.modules.values()):
                if getattr(other, "__name__", "").startswith("eventscope") and getattr(other, name, None) is func:
                    setattr(other, name, timed)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=250)
    ap.add_argument("--json", type=Path, help="write the figures here")
    args = ap.parse_args()

    sys.path.insert(0, str(HERE))
    from corpus import build_corpus, write_corpus

    import eventscope.coder  # noqa: F401  (the modules whose functions get timers)
    import eventscope.pipeline
    from eventscope.coder import CoderConfig

    clock = StageClock()
    for module, qualname, stage in STAGES:
        clock.wrap(module, qualname, stage)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        write_corpus(corpus, build_corpus(args.articles))
        started, wall = time.process_time(), time.perf_counter()
        summary = eventscope.pipeline.run([corpus], Path(tmp) / "stages.duckdb", workers=1,
                                          config=CoderConfig(user_kb=False))
        total, wall = time.process_time() - started, time.perf_counter() - wall
    stages = dict(clock.seconds)
    stages["other"] = total - sum(stages.values())
    print(f"{summary.coded} articles, {summary.events} events: {total:.1f} CPU s ({wall:.1f} s wall), "
          f"{summary.coded / total:.1f} articles per CPU second")
    for stage, seconds in sorted(stages.items(), key=lambda kv: -kv[1]):
        print(f"  {stage:50s} {seconds:7.2f} s {100 * seconds / total:5.1f}%")
    if args.json:
        figures = {"articles": summary.coded, "events": summary.events, "cpu_s": round(total, 2),
                   "stages_cpu_s": {k: round(v, 3) for k, v in stages.items()}}
        args.json.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
