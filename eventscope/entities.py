"""Proper-name spans from the tagger, the gazetteer and the knowledge base: the entities the coder reads.

The coder reads entities for two things only: which capitalised names are places (geo.find_places) and
whether a country name is used as a nationality (actors: "Syrian" in "the Syrian minister"). spaCy's
statistical entity recognizer answers both, but it has its own embedding layer and costs as much as the
tagger, parser and lemmatizer together; ``NameRecognizer`` answers them from what the coder already has:

- a run of proper nouns (NNP/NNPS, capitalised; "of" and in-word hyphens join a run) is a place (GPE) when
  the gazetteer knows it as a country, a first-level division or a city of ``MIN_CITY_POPULATION`` or more
  (any city after a settlement noun: "the enclave of Gorazde"; a city named by an alternate name only if it
  is large); a run that starts with a country or division name is split there ("U.S. President Donald
  Trump": "U.S."); else it is a name that is not a known place (NAME), which geo.find_places still tries
  whole after a locative preposition ("in Bree");
- a country word of the knowledge base that is not the country's own name ("Syrian", "Saudi") is NORP, unless
  it starts a longer name ("the Thai Foreign Ministry", "the Nigerian Union of Teachers");
- a month, weekday or holiday name is DATE, so that "in August" is not the town of August.

On the evaluation sets and the benchmark corpus it finds the places the statistical recognizer finds, and
some it misses ("flights between Lyon and Glasgow", which the small model takes for people); the coder
uses it unless ``CoderConfig.ner`` asks for spaCy's recognizer (docs/accuracy.md has both sets of figures).
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from eventscope.actors import HYPHENS, NameIndex, token_key
from eventscope.geo import GEO_ADMIN1, GEO_CITY, GEO_COUNTRY, NAME_LABEL, Gazetteer, Place, fold_name
from eventscope.lexicon import words

# A city smaller than this is a place only after a locative preposition (geo.find_places): a smaller town's
# name is too often also a person's ("Bree", "Jackson") for the name alone to say it is the town.
MIN_CITY_POPULATION = 100_000
MIN_ALTERNATE_NAME_POPULATION = 500_000  # Bombay, Peking, Kiev: but not "Thai" (an alternate name of Alor Setar)

_NAME_TAGS = frozenset({"NNP", "NNPS"})
# How English demonyms end (Syrian, Chinese, Turkish, Iraqi, Arabic, Dutch, Scot, Swiss, Basque, Uzbek, Slovak,
# Arab, Islander, Thai and their plurals), and place names that end the same way (Afghanistan, Finland)
_DEMONYM_ENDINGS = ("an", "ans", "ese", "ish", "i", "is", "ic", "ch", "ot", "ots", "ss", "que", "ques", "ek", "eks",
                    "ak", "aks", "ab", "abs", "er", "ers", "ai", "ais")
_PLACE_ENDINGS = ("stan", "land")
_MAX_PLACE_TOKENS = 8  # "Democratic Republic of the Congo": no longer place name starts a run
_CACHE_SIZE = 100_000  # names remembered with the place they name, per coder


class NameRecognizer:
    """Sets ``doc.ents`` of tagged sentences (see the module's docstring). Built once per coder."""

    def __init__(self, gazetteer: Gazetteer, actors: NameIndex) -> None:
        self.gazetteer = gazetteer
        self.time_names = words("time_name")
        self.settlement_nouns = words("settlement_noun")
        # the one-word names of the knowledge base's countries: "iran", "iranian", "syrians", "kabul"... (``actors``
        # is the actor matcher's name index: its first level holds the one-word names)
        self.country_words = frozenset(
            key for key, node in actors.root.items()
            if any(getattr(entry, "kind", "") == "country" for entry in node.get(NameIndex._END, ())))
        self._places: dict[str, Place | None] = {}
        self._nationality: dict[str, bool] = {}

    def __call__(self, doc: Doc) -> Doc:
        ents: list[Span] = []
        n = len(doc)
        i = 0
        while i < n:
            tok = doc[i]
            if not self._is_name(tok):
                i += 1
                continue
            if tok.lower_ in self.time_names:
                ents.append(Span(doc, i, i + 1, label="DATE"))
                i += 1
                continue
            end = self._run_end(doc, i)
            ents.extend(self._label_run(doc, i, end))
            i = end
        doc.ents = ents
        return doc

    # -- runs of proper nouns ----------------------------------------------------------------------------
    def _is_name(self, tok) -> bool:
        text = tok.text
        return tok.tag_ in _NAME_TAGS and (text[:1].isupper() or (text.isupper() and len(text) > 1))

    def _joins(self, doc: Doc, j: int) -> bool:
        """Whether token j continues the run before it ("Republic of Korea", "Bosnia-Herzegovina")."""
        tok = doc[j]
        if self._is_name(tok):
            return tok.lower_ not in self.time_names
        if j + 1 >= len(doc) or not self._is_name(doc[j + 1]) or doc[j + 1].lower_ in self.time_names:
            return False
        if tok.lower_ == "of":
            return True
        return tok.text in HYPHENS and not doc[j - 1].whitespace_ and not tok.whitespace_

    def _run_end(self, doc: Doc, start: int) -> int:
        end = start + 1
        while end < len(doc) and self._joins(doc, end):
            end += 1
        return end

    def _label_run(self, doc: Doc, start: int, end: int) -> list[Span]:
        if self._place(doc[start:end].text, small=self._settlement_before(doc, start)) is not None:
            return [Span(doc, start, end, label="GPE")]
        # "the Thai government"; in a longer name the nationality is part of it ("the Thai Foreign Ministry")
        if end - start == 1 and self._is_nationality(doc[start]):
            return [Span(doc, start, end, label="NORP")]
        # a country or division name first, then a title or an institution: "U.S. President Donald Trump",
        # "the West Bank City of Tulkarm"
        for cut in range(min(end - 1, start + _MAX_PLACE_TOKENS), start, -1):
            if doc[cut - 1].lower_ == "of" or doc[cut - 1].text in HYPHENS:
                continue
            place = self._place(doc[start:cut].text)
            if place is not None and place.geo_type in (GEO_COUNTRY, GEO_ADMIN1):
                rest = cut + 1 if doc[cut].text in HYPHENS else cut
                return [Span(doc, start, cut, label="GPE")] + (
                    [Span(doc, rest, end, label=NAME_LABEL)] if rest < end else [])
        return [Span(doc, start, end, label=NAME_LABEL)]

    def _place(self, text: str, small: bool = False) -> Place | None:
        """The place a run names; a city under MIN_CITY_POPULATION only when ``small`` (a settlement noun says
        it is a place)."""
        if text not in self._places:
            if len(self._places) >= _CACHE_SIZE:  # a coder lives as long as `watch` or the API: stay bounded
                self._places.clear()
            self._places[text] = self.gazetteer.resolve(text)
        place = self._places[text]
        if place is not None and place.geo_type == GEO_CITY and not small:
            # a city found by one of its alternate names ("Thai" is one of Alor Setar's) must be a large one
            alternate = fold_name(place.name) != fold_name(text)
            if place.population < (MIN_ALTERNATE_NAME_POPULATION if alternate else MIN_CITY_POPULATION):
                return None
        return place

    def _settlement_before(self, doc: Doc, start: int) -> bool:
        """"the enclave of Gorazde", "the capital Dili": the words before a run say it is a place."""
        before = doc[start - 1].lower_ if start else ""
        if before == "of" and start > 1:
            before = doc[start - 2].lemma_.lower() or doc[start - 2].lower_
        return before in self.settlement_nouns

    def _is_nationality(self, tok) -> bool:
        """A country word shaped like a demonym that does not name a country or a large city: "Syrian",
        "Thai", "Saudi" (an alternate name of Saudi Arabia in the gazetteer, but as a word of its own a
        nationality); not "Iran", "Mali", "Tehran" or "Afganistan"."""
        text = tok.text
        if text not in self._nationality:
            if len(self._nationality) >= _CACHE_SIZE:
                self._nationality.clear()
            key = token_key(text)
            out = False
            if key in self.country_words and key.endswith(_DEMONYM_ENDINGS) and not key.endswith(_PLACE_ENDINGS):
                place = self._place(text)
                out = place is None or (place.geo_type == GEO_COUNTRY and key.endswith("i")
                                        and fold_name(place.name) != fold_name(text))
            self._nationality[text] = out
        return self._nationality[text]

