"""The parser the coder loads: its attribute ruler finds its matches through eventscope.nlp.RulerMatches, which must
give exactly what spaCy's Matcher gives (every tag-map and word-exception rule, in the same order)."""

from __future__ import annotations

import json

from conftest import shared_path

from eventscope.nlp import RulerMatches, load_nlp, sentence_bounds

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


def test_sentence_docs_are_the_span_copies(coder):
    """Coder._sentence_doc tokenizes a sentence alone where it can: the same tokens and attributes as the span."""
    from spacy.attrs import IS_SPACE, LOWER, NORM, ORTH, PREFIX, SENT_START, SHAPE, SPACY, SUFFIX

    attrs = [ORTH, NORM, SPACY, SENT_START, LOWER, SHAPE, PREFIX, SUFFIX, IS_SPACE]
    with open(shared_path("eval", "plover_gsr.jsonl"), encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for line in fh if line.strip()][:200]
    texts += ["He said.\"Next one starts here.And here (left.)Then  x.\n\nY said!!  Z", "  Lt. Gen. Avril left. "
              "He can't go.  She won't."]
    n = 0
    for text in texts:
        block = coder.nlp.make_doc(text)
        for first, last in sentence_bounds(block):
            doc, span = coder._sentence_doc(block, first, last), block[first:last]
            copy = span.as_doc()
            n += 1
            assert doc.text == copy.text and [t.idx for t in doc] == [t.idx for t in copy]
            assert (doc.to_array(attrs) == copy.to_array(attrs)).all(), span.text
    assert n > 200
