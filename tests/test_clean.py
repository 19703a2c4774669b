"""clean: debris removal, headings, paragraph joining, Unicode repair, language guess, honest offsets."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventscope.clean import DEBRIS_PATTERNS, clean_article, clean_text, guess_language
from eventscope.model import Article, Block

SEED = Path(__file__).resolve().parents[1].parent / "shared" / "seed" / "article.txt"

ENGLISH = (
    "The foreign minister said on Tuesday that the government would send more troops to the border, "
    "according to a statement from the ministry. Officials in the capital confirmed the decision."
)
FRENCH = (
    "Le président de la République a annoncé mardi que le gouvernement allait renforcer la sécurité "
    "aux frontières, selon un communiqué publié par le ministère de l'Intérieur."
)
GERMAN = (
    "Der Bundeskanzler hat am Dienstag angekündigt, dass die Regierung die Hilfe für die Ukraine "
    "ausweiten wird, wie ein Sprecher in Berlin mitteilte."
)
RUSSIAN = (
    "Министр иностранных дел России заявил во вторник, что Москва готова к переговорам с Киевом "
    "при посредничестве Турции."
)


def assert_offsets_honest(text: str, blocks: list[Block]) -> None:
    """Blocks tile the text: each span is its block, and blocks are joined by exactly one blank line."""
    assert blocks, "no blocks"
    assert blocks[0].start == 0 and blocks[-1].end == len(text)
    for before, after in zip(blocks, blocks[1:], strict=False):
        assert text[before.end : after.start] == "\n\n"
    for block in blocks:
        span = text[block.start : block.end]
        assert span and span == span.strip() and "\n" not in span
        assert block.kind in ("body", "heading")


def blocks_of(raw: str) -> list[tuple[str, str]]:
    text, blocks = clean_text(raw)
    assert_offsets_honest(text, blocks)
    return [(b.kind, text[b.start : b.end]) for b in blocks]


# --- the seed article ---------------------------------------------------------------------------


def test_seed_article_loses_debris_and_marks_its_section_titles():
    raw = SEED.read_text(encoding="utf-8")
    assert raw.count("Advertisment") == 2  # the fixture is what this test thinks it is
    text, blocks = clean_text(raw)
    assert_offsets_honest(text, blocks)
    assert "Advertisment" not in text
    headings = [text[b.start : b.end] for b in blocks if b.kind == "heading"]
    assert headings == [
        "Strengthening Bilateral Defense Ties",
        "Condemning External Aggressions",
        "Charting a Path Forward",
    ]
    body = [text[b.start : b.end] for b in blocks if b.kind == "body"]
    assert len(body) == 5
    assert body[0].startswith("In a significant development that could alter the strategic balance")
    assert "\n\n\n" not in text


def test_seed_article_is_english_and_ok():
    article = Article(id="seed", text=SEED.read_text(encoding="utf-8"), title="  Iran  vows\nsupport ")
    cleaned = clean_article(article)
    assert cleaned.status == "ok" and cleaned.reason is None
    assert cleaned.language == "en"
    assert cleaned.title == "Iran vows support"
    assert article.text.count("Advertisment") == 2  # the input article is not changed
    assert_offsets_honest(cleaned.text, cleaned.blocks)


# --- lines, paragraphs, headings ----------------------------------------------------------------


def test_hard_wrapped_paragraph_is_joined():
    raw = (
        "Kenyan police fired tear gas at protesters who marched\n"
        "through central Nairobi on Tuesday to demand that the\n"
        "government scrap a new tax on fuel, witnesses said.\n"
        "\n"
        "Police arrested 63 people."
    )
    assert blocks_of(raw) == [
        (
            "body",
            "Kenyan police fired tear gas at protesters who marched through central Nairobi on Tuesday to "
            "demand that the government scrap a new tax on fuel, witnesses said.",
        ),
        ("body", "Police arrested 63 people."),
    ]


def test_title_case_heading_on_top_of_wrapped_text_stays_its_own_block():
    raw = "Rights Groups Condemn Arrests\nOpposition leaders accused the police of using\nexcessive force."
    assert blocks_of(raw) == [
        ("heading", "Rights Groups Condemn Arrests"),
        ("body", "Opposition leaders accused the police of using excessive force."),
    ]


def test_one_paragraph_per_line_text_is_split_at_each_line():
    first = "NAIROBI, March 3 (Reuters) - " + ENGLISH
    raw = f"Protests spread to Mombasa\n{first}\nPolice arrested 63 people in the capital, a spokesman said."
    assert blocks_of(raw) == [
        ("heading", "Protests spread to Mombasa"),
        ("body", first),  # the dateline stays in the text for the dates stage
        ("body", "Police arrested 63 people in the capital, a spokesman said."),
    ]


def test_whitespace_is_collapsed_and_blank_lines_normalised():
    raw = (
        "\r\n\r\n  Iran   and\tSyria   signed a defence pact on Sunday.  \r\n\r\n\r\n\r\n\fTalks go on.  \n\n"
    )
    assert blocks_of(raw) == [
        ("body", "Iran and Syria signed a defence pact on Sunday."),
        ("body", "Talks go on."),
    ]


def test_heading_rules():
    raw = "\n\n".join(
        [
            "Charting a Path Forward",  # short, no final punctuation
            "Talks will resume on Monday.",  # sentence: body
            "What comes next?",  # question: body
            "Iran: we will respond",  # short but not final punctuation -> heading
            "Officials said:",  # ends with a colon: body
            "One two three four five six seven eight nine ten eleven twelve thirteen",  # too long
            "(Reporting by John Smith; Editing by Jane Doe)",  # credit: not coded
        ]
    )
    assert [kind for kind, _ in blocks_of(raw)] == [
        "heading",
        "body",
        "body",
        "heading",
        "body",
        "body",
        "heading",
    ]


def test_credit_line_inside_a_wrapped_paragraph_is_split_off():
    raw = (
        "Police arrested 63 people, a spokesman\nsaid on Tuesday.\n"
        "(Reporting by John Smith; Editing by Jane Doe)"
    )
    assert blocks_of(raw) == [
        ("body", "Police arrested 63 people, a spokesman said on Tuesday."),
        ("heading", "(Reporting by John Smith; Editing by Jane Doe)"),
    ]


# --- debris -------------------------------------------------------------------------------------

DEBRIS_LINES = [
    "Advertisement",
    "ADVERTISEMENT",
    "Advertisment",
    "- Advertisement -",
    "Sponsored",
    "Subscribe",
    "Subscribe to our newsletter",
    "Sign up for our daily briefing newsletter",
    "Share this article",
    "Share on Facebook",
    "Share on WhatsApp",
    "Facebook Twitter Email",
    "Share | Tweet | Print",
    "Click here to read the full statement",
    "Read more: Kenya police arrest 63 protesters",
    "Related:",
    "Also read: Iran and Syria sign pact",
    "Follow us on Twitter",
    "We use cookies to improve your experience. By continuing you agree to our cookie policy.",
    "Accept all cookies",
    "Cookie policy",
    "Skip to main content",
    "Skip to content",
    "Image: Reuters",
    "Photo: AFP/Getty Images",
    "© 2024 Example Herald. All rights reserved.",
    "* * *",
]


@pytest.mark.parametrize("line", DEBRIS_LINES)
def test_debris_lines_are_dropped(line):
    raw = f"Iran and Syria signed a defence pact on Sunday.\n\n{line}\n\nTalks go on, officials said."
    assert blocks_of(raw) == [
        ("body", "Iran and Syria signed a defence pact on Sunday."),
        ("body", "Talks go on, officials said."),
    ]
    assert any(pattern.fullmatch(line) for pattern in DEBRIS_PATTERNS)


def test_debris_line_inside_a_paragraph_splits_it():
    raw = "Iran and Syria signed a\ndefence pact on Sunday.\nAdvertisement\nTalks go on, officials said."
    assert [text for _, text in blocks_of(raw)] == [
        "Iran and Syria signed a defence pact on Sunday.",
        "Talks go on, officials said.",
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "The ministry urged people to subscribe to the vaccination programme.",
        "Subscribers to the state broadcaster's service were cut off on Monday, the regulator said.",
        "Advertisement revenue at state media fell by a third, the ministry said.",
        "Read more about the ceasefire in the ministry's statement, the spokesman told reporters.",
        "The EU fined the company over its cookie policy, regulators said on Friday.",
        "Related talks are expected in Doha next week.",
        "Share prices fell in Tehran after the announcement.",
        "Follow-up talks are planned for March.",
    ],
)
def test_real_sentences_with_debris_words_are_kept(sentence):
    assert blocks_of(sentence) == [("body", sentence)]


# --- Unicode ------------------------------------------------------------------------------------


def test_mojibake_is_repaired():
    raw = "The minister said â€œwe will respondâ€\x9d at the cafÃ© in ZÃ¼rich â€” and left.\n"
    assert blocks_of(raw) == [
        ("body", "The minister said “we will respond” at the café in Zürich — and left.")
    ]


def test_text_without_mojibake_is_left_alone():
    raw = "PELÉ’s “goal” in São Paulo — café, Zürich, naïve, Œuvre."
    assert blocks_of(raw) == [("body", raw)]


def test_invisible_characters_go_and_quotes_stay():
    raw = "The\u00a0minister\u200b said \u201cno\u201d to the co\u00adoperation deal\u2019s terms.\ufeff"
    assert blocks_of(raw) == [
        ("body", "The minister said \u201cno\u201d to the cooperation deal\u2019s terms.")
    ]


def test_text_is_nfc_normalised():
    decomposed = "Cafe\u0301 owners in Zu\u0308rich protested on Monday."
    assert blocks_of(decomposed) == [("body", "Café owners in Zürich protested on Monday.")]


# --- language -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language"),
    [(ENGLISH, "en"), (FRENCH, "fr"), (GERMAN, "de"), (RUSSIAN, "ru")],
)
def test_guess_language(text, language):
    assert guess_language(text) == language


def test_guess_language_gives_up_on_short_text():
    assert guess_language("Iran and Syria sign pact") is None
    assert guess_language("") is None


def test_english_with_a_foreign_quote_is_english():
    text = ENGLISH + ' The French minister replied: "Nous ne céderons pas." ' + ENGLISH
    assert guess_language(text) == "en"


# --- clean_article ------------------------------------------------------------------------------


def test_article_with_only_debris_is_empty():
    article = clean_article(Article(id="a", text="Advertisement\n\nShare on Facebook\n\nSubscribe"))
    assert article.status == "empty"
    assert article.reason == "no text left after removing debris"
    assert article.text == "" and article.blocks == []


def test_article_with_only_headings_is_empty():
    article = clean_article(Article(id="a", text="Breaking News\n\nWorld"))
    assert article.status == "empty"


def test_french_article_is_not_english():
    article = clean_article(Article(id="a", text=FRENCH + "\n\n" + FRENCH))
    assert article.status == "not_english"
    assert article.reason == "language looks like 'fr'"
    assert article.language == "fr"


def test_article_that_was_not_ok_keeps_its_status():
    article = clean_article(Article(id="a", text="", status="binary", reason="binary content"))
    assert (article.status, article.reason) == ("binary", "binary content")
