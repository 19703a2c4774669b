"""The parser the coder loads: its attribute ruler finds its matches through eventscope.nlp.RulerMatches, which must
give exactly what spaCy's Matcher gives (every tag-map and word-exception rule, in the same order)."""

from __future__ import annotations

import json

from conftest import shared_path

from eventscope.nlp import RulerMatches, load_nlp

ODD_TEXTS = [
    "I ain't gonna do it, y'all, 'cause we gotta go.",
    "Let's see: he's doin' nothin' ol' man, I'll get 'em somethin'.",
    "  Spaces   and\n\nnewlines\t here.",
    "Cannot won't shouldn't; I said I would.",
    "",
]


def test_attribute_ruler_matches_are_the_matchers():
    nlp = load_nlp()
    ruler = nlp.get_pipe("attribute_ruler")
    assert isinstance(ruler.match, RulerMatches) and ruler.match.supported
    texts = list(ODD_TEXTS)
    for name in ("petrarch2_validation.jsonl", "plover_gsr.jsonl"):
        with open(shared_path("eval", name), encoding="utf-8") as fh:
            texts += [json.loads(line)["text"] for line in fh if line.strip()][:300]
    # the ruler runs after the tagger and the parser: it reads their tags and dependencies
    docs = list(nlp.pipe(texts, disable=["attribute_ruler", "lemmatizer", "ner"]))
    matcher_match = type(ruler).match
    multi = 0
    for doc in docs:
        expected = matcher_match(ruler, doc)
        assert ruler.match(doc) == expected, doc.text
        multi += sum(1 for _, _, start, end in expected if end - start > 1)
    assert multi >= 3  # the two-token rules ("gon na", "got ta", "let 's") were exercised


def test_unsupported_patterns_leave_the_ruler_alone():
    nlp = load_nlp()
    ruler = nlp.get_pipe("attribute_ruler")
    original = type(ruler)(nlp.vocab)
    original.add([[{"LOWER": "a"}, {"IS_PUNCT": True, "OP": "?"}]], {"LEMMA": "x"})
    assert not RulerMatches(original).supported
