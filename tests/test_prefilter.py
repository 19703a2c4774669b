"""The sentence pre-filter changes nothing that is coded: the same events, actor mentions and sentences with and
without it, on the evaluation sets (both dictionaries), the examples and a mixed news corpus; and it does leave
sentences out. Also the sentence splitter that runs before the parse."""

from __future__ import annotations

import json
import sys
from datetime import date

import pytest
from conftest import EXAMPLES, REPO, shared_path

from eventscope.coder import Coder
from eventscope.evaluate import coder_predictor, load_gold
from eventscope.geo import find_places
from eventscope.nlp import inflections, load_nlp, sentence_bounds


def split(text: str) -> list[str]:
    doc = load_nlp().make_doc(text)
    return [doc[s:e].text for s, e in sentence_bounds(doc)]


def test_sentence_bounds():
    assert split("Lt. Gen. Prosper Avril resigned. He left.") == ["Lt. Gen. Prosper Avril resigned.", "He left."]
    assert split('"We will fight," he said. "Never." Then (he left.) Next one.') == [
        '"We will fight," he said.', '"Never."', "Then (he left.)", "Next one."]
    assert split("John F. Kennedy arrived!  He left? It was 5 p.m. local time.") == [
        "John F. Kennedy arrived!", "He left?", "It was 5 p.m. local time."]
    assert split("No end") == ["No end"] and split("   ") == []


def test_inflections_cover_what_the_lemmatizer_gives():
    forms = inflections(load_nlp(), ["country", "child", "fight"])
    assert {"country", "countries", "child", "children", "fight", "fights", "fought", "fighting"} <= forms
    doc = load_nlp()("The countries fought while the children slept.")
    assert all(t.text.lower() in forms for t in doc if t.lemma_.lower() in {"country", "child", "fight"})


@pytest.fixture(scope="module")
def plain_coder(coder):
    return Coder(coder.kb, coder.verbs, coder.options, coder.nlp, prefilter=False)


def _coded(coder, texts: list[tuple[str, date | None]]):
    out = []
    for text, day in texts:
        c = coder.code_text(text, published=day)
        out.append((len(c.sentences), c.location,
                    [(e.id, e.start, e.end, e.rule, e.location, e.date, e.verb_start) for e in c.events],
                    [(m.id, m.text, m.kind, m.actor, m.why) for m in c.mentions]))
    return out


def _corpus_sample(n: int) -> list[tuple[str, date | None]]:
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        from corpus import build_corpus
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    return [(a["text"], date.fromisoformat(a["date"])) for a in build_corpus(n, seed=11)]


def test_prefilter_codes_the_same_as_parsing_everything(coder, plain_coder):
    texts = [(json.loads(line)["text"], date.fromisoformat(json.loads(line)["date"]))
             for line in shared_path("eval", "plover_gsr.jsonl").read_text(encoding="utf-8").splitlines()]
    texts += [(p.read_text(encoding="utf-8"), None) for p in sorted(EXAMPLES.glob("*.txt"))]
    texts += [(json.loads(line)["text"], date.fromisoformat(json.loads(line)["date"]))
              for line in (EXAMPLES / "wire_stories.jsonl").read_text(encoding="utf-8").splitlines()]
    texts += _corpus_sample(12)
    parsed = {"static": 0, "lazy": 0}
    real_parse = coder._parse

    def counting(sentences):
        parsed["lazy" if len(sentences) == 1 and not sentences[0].check.parse else "static"] += len(sentences)
        return real_parse(sentences)

    coder._parse = counting
    try:
        filtered = _coded(coder, texts)
    finally:
        del coder._parse
    assert filtered == _coded(plain_coder, texts)
    total = sum(n for n, *_ in filtered)
    # it does leave sentences out (the news sentences of the corpus; the gold sentences are all political), and
    # parses some only because of what came before (coreference)
    assert parsed["lazy"] > 0 and total - parsed["static"] - parsed["lazy"] > 20


def test_prefilter_keeps_petrarch_validation_predictions(validation_coder):
    plain = Coder(validation_coder.kb, validation_coder.verbs, validation_coder.options, validation_coder.nlp,
                  prefilter=False)
    records = load_gold(shared_path("eval", "petrarch2_validation.jsonl"))
    with_filter, without = coder_predictor(validation_coder), coder_predictor(plain)
    assert [with_filter(r) for r in records] == [without(r) for r in records]


def test_every_sentence_with_a_place_is_flagged(coder):
    """The place check is a heuristic (capitalised, not a lone stop word): a fully parsed sentence in which
    geo.find_places finds a place must have been flagged, or leaving it out could move an article's focus."""
    texts = [json.loads(line)["text"] for line in
             shared_path("eval", "plover_gsr.jsonl").read_text(encoding="utf-8").splitlines()]
    texts += [t for t, _ in _corpus_sample(8)]
    nlp, flagged, with_places = coder.nlp, 0, 0
    for text in texts:
        block = nlp.make_doc(text)
        for s, e in sentence_bounds(block):
            doc = block[s:e].as_doc()
            check = coder.prefilter.check(doc)
            if find_places(nlp(doc)[:], coder.gazetteer):
                with_places += 1
                assert check.places, doc.text
            flagged += check.places
    assert with_places > 100 and flagged >= with_places
