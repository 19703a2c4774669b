"""ingest: every kind of input, and every kind of bad input, gives Article records (never a traceback)."""

from __future__ import annotations

import json
import os
import random
import time
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import lxml.html
import pytest

from eventscope.ingest import SUPPORTED, iter_articles
from eventscope.ingest.html import body_text, extract_page, html_to_text
from eventscope.model import article_id

BODY = (
    "NAIROBI, March 3 (Reuters) - Kenyan police fired tear gas at protesters in central Nairobi on "
    "Tuesday, witnesses said."
)


def articles(*paths, **kwargs):
    return list(iter_articles(list(paths), **kwargs))


def one(path, **kwargs):
    found = articles(path, **kwargs)
    assert len(found) == 1, [(a.source, a.status, a.reason) for a in found]
    return found[0]


# --- plain text --------------------------------------------------------------------------------


def test_text_file_is_read_raw_with_its_locator_and_id(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(f"Protests in Nairobi\n\n{BODY}\n", encoding="utf-8")
    article = one(path)
    assert article.status == "ok" and article.reason is None
    assert article.kind == "txt"
    assert article.source == str(path)
    assert article.text == f"Protests in Nairobi\n\n{BODY}\n"  # raw: cleaning is the next stage
    assert article.id == article_id(article.text, None)
    assert article.published is None


def test_a_lone_path_string_is_one_path_not_characters(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(BODY, encoding="utf-8")
    assert [a.source for a in iter_articles(str(path))] == [str(path)]


def test_default_date_applies_only_when_the_source_has_no_date(tmp_path):
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(
        json.dumps({"text": BODY, "date": "2024-03-05T10:00:00Z"}) + "\n" + json.dumps({"text": BODY + " 2"}),
        encoding="utf-8",
    )
    found = articles(tmp_path, default_date=date(2020, 1, 1))
    assert [(a.source.rsplit("/", 1)[-1], a.published) for a in found] == [
        ("a.txt", date(2020, 1, 1)),
        ("b.jsonl:line 1", date(2024, 3, 5)),
        ("b.jsonl:line 2", date(2020, 1, 1)),
    ]


@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n  \n"])
def test_empty_and_whitespace_only_files_are_empty(tmp_path, content):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    article = one(path)
    assert article.status == "empty" and article.text == ""
    assert article.id == article_id("", None, fallback=str(path.resolve()))


def test_empty_files_in_different_places_get_different_ids(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"")
    (tmp_path / "b.txt").write_bytes(b"")
    first, second = articles(tmp_path)
    assert first.id != second.id


def test_random_bytes_named_txt_are_binary(tmp_path):
    path = tmp_path / "noise.txt"
    path.write_bytes(random.Random(0).randbytes(20_000))
    article = one(path)
    assert article.status == "binary" and article.text == ""
    assert "binary" in article.reason


def test_control_heavy_bytes_without_nul_are_binary(tmp_path):
    path = tmp_path / "controls.txt"
    path.write_bytes(bytes([1, 2, 3, 65, 66]) * 500)  # 60% control bytes, no NUL
    assert one(path).status == "binary"


def test_latin1_file_is_decoded_with_a_note(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Le café de Zürich a fermé après la manifestation.".encode("latin-1"))
    article = one(path)
    assert article.status == "ok"
    assert "café" in article.text and "Zürich" in article.text
    assert article.reason == "decoded as cp1252 (not valid UTF-8)"


def test_utf8_bom_is_stripped_and_utf16_with_bom_is_read(tmp_path):
    (tmp_path / "a_bom8.txt").write_bytes(b"\xef\xbb\xbf" + BODY.encode("utf-8"))
    (tmp_path / "b_bom16.txt").write_bytes(BODY.encode("utf-16"))  # with BOM, full of NUL bytes
    utf8, utf16 = articles(tmp_path)
    assert utf8.status == utf16.status == "ok"
    assert utf8.text == BODY and utf16.text == BODY
    assert utf8.reason is None and utf16.reason is None


def test_a_50_mb_file_is_too_large_without_being_read(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:
        handle.truncate(50_000_000)  # sparse: all NUL bytes, so reading it would say "binary"
    started = time.perf_counter()
    article = one(path)
    assert time.perf_counter() - started < 1.0
    assert article.status == "too_large"
    assert "50,000,000 bytes" in article.reason


def test_max_bytes_is_honoured(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(BODY, encoding="utf-8")
    assert one(path, max_bytes=20).status == "too_large"
    assert one(path, max_bytes=len(BODY)).status == "ok"


# --- walking folders, missing and unsupported paths ------------------------------------------


def test_folders_are_walked_recursively_in_sorted_order_skipping_hidden(tmp_path):
    for name in ["b.txt", "a/z.txt", "a/.hidden.txt", ".git/config.txt", "c/sub/d.txt", "c/.cache/e.txt"]:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"{BODY} {name}", encoding="utf-8")
    found = articles(tmp_path)
    assert [Path(a.source).relative_to(tmp_path).as_posix() for a in found] == [
        "a/z.txt",
        "b.txt",
        "c/sub/d.txt",
    ]
    assert all(a.status == "ok" for a in found)


def test_a_hidden_file_named_explicitly_is_read(tmp_path):
    path = tmp_path / ".notes.txt"
    path.write_text(BODY, encoding="utf-8")
    assert one(path).status == "ok"


def test_missing_path_gives_a_record_and_the_run_goes_on(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(BODY, encoding="utf-8")
    missing, article = articles(tmp_path / "nope", good)
    assert missing.status == "unparseable"
    assert missing.reason == f"no such file or directory: {tmp_path / 'nope'}"
    assert article.status == "ok"


def test_unsupported_extension_gives_one_record(tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.4 ...")
    article = one(path)
    assert article.status == "unparseable"
    assert article.reason.startswith("unsupported file type '.pdf' (supported: .txt, .text, .html")
    assert all(ext in article.reason for ext in SUPPORTED)


def test_extensions_are_case_insensitive(tmp_path):
    path = tmp_path / "UPPER.TXT"
    path.write_text(BODY, encoding="utf-8")
    assert one(path).kind == "txt"


# --- HTML -----------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html><head>
<title>Kenya protests | The Example Herald</title>
<meta property="og:site_name" content="The Example Herald">
<meta property="article:published_time" content="2024-03-05T10:00:00+03:00">
<link rel="canonical" href="https://example.org/world/kenya-protests">
<script>var tracking = "do not read me";</script>
<style>p { color: red }</style>
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World news menu</a></li></ul></nav>
<article>
<h1>Police fire tear gas at fuel tax protesters in Nairobi</h1>
<p>NAIROBI, March 3 (Reuters) - Kenyan police fired tear gas at thousands of protesters who marched
through central Nairobi on Tuesday to demand that the government scrap a new fuel tax.</p>
<div class="ad">Advertisement</div>
<h2>Rights groups condemn arrests</h2>
<p>Opposition leaders accused the police of using excessive force against peaceful marchers, and the
national human rights commission condemned the arrests of 63 people.</p>
<p>The Treasury says the tax is needed to narrow the budget deficit and to meet the targets of a
lending programme with the International Monetary Fund.</p>
</article>
<footer><p>Copyright 2024 The Example Herald. Footer links and legal text.</p></footer>
</body></html>
"""


def test_html_main_text_and_metadata(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    article = one(path, default_date=date(2020, 1, 1))
    assert article.status == "ok" and article.kind == "html"
    assert article.published == date(2024, 3, 5)  # the page's date beats default_date
    assert article.outlet == "The Example Herald"
    assert article.url == "https://example.org/world/kenya-protests"
    assert article.id == article_id(article.text, article.url)
    assert article.title
    paragraphs = article.text.split("\n\n")
    assert "Rights groups condemn arrests" in paragraphs  # the heading is its own block
    assert any(p.startswith("NAIROBI, March 3 (Reuters) - Kenyan police") for p in paragraphs)
    assert any("International Monetary Fund." in p for p in paragraphs)
    for unwanted in ("World news menu", "do not read me", "color: red", "Footer links"):
        assert unwanted not in article.text
    # Lines inside a paragraph are joined (HTML source newlines are spaces).
    assert "who marched through central Nairobi" in article.text


def test_broken_html_still_gives_its_text(tmp_path):
    path = tmp_path / "broken.html"
    path.write_text(
        '<html><head><title>UN meeting</title><meta name="date" content="2024-05-01"></head>'
        "<body><p>Unclosed <div><p>Text about the UN Security Council meeting...",
        encoding="utf-8",
    )
    article = one(path)
    assert article.status == "ok"
    assert "Text about the UN Security Council meeting..." in article.text
    assert article.title == "UN meeting"
    assert article.published == date(2024, 5, 1)


def test_body_fallback_keeps_blocks_and_skips_page_furniture():
    doc = lxml.html.document_fromstring(
        "<html><body><nav>Menu items</nav><h3>Short</h3><p>One line<br>two\nline</p>"
        "<script>bad()</script><footer>Footer</footer><!-- note -->tail text</body></html>"
    )
    assert body_text(doc).split("\n\n") == ["Short", "One line\ntwo line", "tail text"]


def test_short_page_keeps_its_blocks_apart():
    page = extract_page("<html><body><h3>Short title</h3><p>One line</p><p>Another line</p></body></html>")
    assert page.text.split("\n\n") == ["Short title", "One line", "Another line"]


def test_html_without_any_text_is_unparseable(tmp_path):
    path = tmp_path / "script_only.htm"
    path.write_text("<html><head><script>var x = 1;</script></head><body>  </body></html>", encoding="utf-8")
    article = one(path)
    assert article.status == "unparseable" and article.kind == "html"
    assert "no text" in article.reason


def test_html_declared_charset_is_used_when_not_utf8(tmp_path):
    path = tmp_path / "legacy.html"
    html = '<html><head><meta charset="iso-8859-15"></head><body><p>Prix: 5 €, café.</p></body></html>'
    path.write_bytes(html.encode("iso-8859-15"))
    article = one(path)
    assert "5 €, café" in article.text
    assert "iso8859-15" in article.reason


def test_deeply_nested_html_does_not_raise(tmp_path):
    path = tmp_path / "deep.html"
    path.write_text("<div>" * 20_000 + "Deep text about talks." + "</div>" * 20_000, encoding="utf-8")
    article = one(path)
    assert article.status in ("ok", "unparseable")


def test_html_to_text_separates_paragraphs():
    assert html_to_text("<p>First   para.</p><p>Second\npara.</p>") == "First para.\n\nSecond para."
    assert html_to_text("plain text, no tags") == "plain text, no tags"


# --- JSON Lines -----------------------------------------------------------------------------


def test_jsonl_good_bad_empty_and_oversize_lines(tmp_path):
    path = tmp_path / "dump.jsonl"
    lines = [
        json.dumps(
            {
                "text": BODY,
                "title": "Protests",
                "url": "https://example.org/a",
                "date": "2024-03-05",
                "outlet": "Example Wire",
            }
        ),
        '{"text": "unterminated',
        "",  # blank: skipped silently
        json.dumps({"text": "   "}),
        json.dumps({"text": "x" * 500}),
        json.dumps(["a", "list"]),
        json.dumps({"text": 42}),
        json.dumps({"title": "no text"}),
        json.dumps({"text": BODY + " Again.", "date": "not a date"}),
        json.dumps({"text": BODY + " Third.", "url": ["not", "a", "string"], "title": "Kept"}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = articles(path, max_bytes=300)
    by_line = {a.source.rsplit(":", 1)[1]: a for a in found}
    assert list(by_line) == [f"line {n}" for n in (1, 2, 4, 5, 6, 7, 8, 9, 10)]
    good = by_line["line 1"]
    assert (good.status, good.kind, good.title, good.url, good.outlet, good.published) == (
        "ok",
        "jsonl",
        "Protests",
        "https://example.org/a",
        "Example Wire",
        date(2024, 3, 5),
    )
    assert good.text == BODY and good.id == article_id(BODY, "https://example.org/a")
    assert by_line["line 2"].status == "unparseable"
    assert by_line["line 2"].reason.startswith("line 2: invalid JSON (")
    assert by_line["line 4"].status == "empty"
    assert by_line["line 5"].status == "too_large" and by_line["line 5"].reason.startswith("line 5:")
    assert by_line["line 6"].reason == "line 6: a JSON list, not an object"
    assert by_line["line 7"].reason == "line 7: 'text' is int, not a string"
    assert by_line["line 8"].reason == "line 8: no 'text' field"
    assert by_line["line 9"].status == "ok" and "unreadable date" in by_line["line 9"].reason
    tenth = by_line["line 10"]
    assert (tenth.status, tenth.url, tenth.title) == ("ok", None, "Kept")
    assert tenth.reason == "line 10: 'url' is list, not a string; ignored"
    assert len({a.id for a in found}) == len(found)


def test_jsonl_file_may_exceed_max_bytes_when_its_lines_do_not(tmp_path):
    path = tmp_path / "big.ndjson"
    with open(path, "w", encoding="utf-8") as handle:
        for number in range(50):
            handle.write(json.dumps({"text": f"{BODY} Story {number}."}) + "\n")
    found = articles(path, max_bytes=1_000)
    assert path.stat().st_size > 1_000
    assert len(found) == 50 and all(a.status == "ok" for a in found)


def test_jsonl_oversize_line_is_skipped_and_reading_goes_on(tmp_path):
    path = tmp_path / "dump.jsonl"
    path.write_text(
        json.dumps({"text": "y" * 100_000}) + "\n" + json.dumps({"text": BODY}) + "\n", encoding="utf-8"
    )
    first, second = articles(path, max_bytes=1_000)
    assert first.status == "too_large" and first.source.endswith(":line 1")
    assert second.status == "ok" and second.source.endswith(":line 2") and second.text == BODY


def test_jsonl_with_one_bad_line_keeps_the_others(tmp_path):
    path = tmp_path / "dump.jsonl"
    path.write_text(
        "\n".join(json.dumps({"text": f"{BODY} {n}"}) for n in range(3)) + "\n{bad json}\n", encoding="utf-8"
    )
    statuses = [a.status for a in articles(path)]
    assert statuses == ["ok", "ok", "ok", "unparseable"]


def test_jsonl_of_only_blank_lines_is_one_empty_record(tmp_path):
    path = tmp_path / "blank.jsonl"
    path.write_text("\n\n  \n", encoding="utf-8")
    assert one(path).status == "empty"


# --- Parquet --------------------------------------------------------------------------------


def test_parquet_rows_are_read_like_json_lines(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from eventscope.ingest.dumps import parquet_row_article

    path = tmp_path / "dump.parquet"
    berlin = datetime(2024, 3, 5, 23, 30, tzinfo=timezone(timedelta(hours=1)))  # 22:30 UTC: still the 5th
    late = datetime(2024, 3, 6, 0, 30, tzinfo=timezone(timedelta(hours=1)))  # the 6th in Berlin, 23:30 UTC on the 5th
    table = pa.table({
        "text": [BODY, "   ", "x" * 500, None, BODY + " Again."],
        "title": ["Protests", None, None, None, "Kept"],
        "url": ["https://example.org/a", None, None, None, None],
        "outlet": ["Example Wire", None, None, None, None],
        "date": pa.array([berlin, None, None, None, late], type=pa.timestamp("us", tz="Europe/Berlin")),
        "extra": [1, 2, 3, 4, 5],
    })
    pq.write_table(table, path, row_group_size=2)
    found = articles(path, max_bytes=300)
    assert [a.source for a in found] == [f"{path}:row {n}" for n in range(1, 6)]
    assert [a.status for a in found] == ["ok", "empty", "too_large", "empty", "ok"]
    good = found[0]
    assert (good.kind, good.title, good.url, good.outlet, good.published) == (
        "parquet", "Protests", "https://example.org/a", "Example Wire", date(2024, 3, 5))
    assert good.id == article_id(BODY, "https://example.org/a")
    assert found[3].reason == "row 4: 'text' is empty"  # a null text: an empty row, not a malformed one
    assert found[4].published == date(2024, 3, 5)  # the UTC date of a timestamp with a zone
    # a row as Spark hands it (a timestamp as a UTC instant, see eventscope.spark) gives the same article
    again = parquet_row_article({"text": BODY, "title": "Protests", "url": "https://example.org/a",
                                 "outlet": "Example Wire", "date": datetime(2024, 3, 5, 22, 30, tzinfo=UTC)},
                                1, source=str(path), fallback=str(path.resolve()), max_bytes=300)
    assert (again.id, again.source, again.published, again.title) == (good.id, good.source, good.published,
                                                                       good.title)


def test_bad_parquet_files_give_one_record_each(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    (tmp_path / "a_broken.parquet").write_bytes(b"PAR1 this is not a parquet file")
    pq.write_table(pa.table({"body": ["no text column"]}), tmp_path / "b_no_text.parquet")
    pq.write_table(pa.table({"text": pa.array([], type=pa.string())}), tmp_path / "c_no_rows.parquet")
    (tmp_path / "d_zero.parquet").write_bytes(b"")
    found = articles(tmp_path)
    assert [(Path(a.source).name, a.status) for a in found] == [
        ("a_broken.parquet", "unparseable"), ("b_no_text.parquet", "unparseable"), ("c_no_rows.parquet", "empty"),
        ("d_zero.parquet", "empty")]
    assert found[0].reason.startswith("not a readable Parquet file")
    assert found[1].reason == "no 'text' column (columns: 'body')"
    assert found[3].reason == "empty file (0 bytes)"
    assert len({a.id for a in found}) == 4


# --- feeds ----------------------------------------------------------------------------------

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
<title>Example Wire - World</title><link>https://example.org</link>
<item>
  <title>UN Security Council demands M23 withdrawal</title>
  <link>https://example.org/africa/m23</link>
  <pubDate>Fri, 21 Feb 2025 18:00:00 GMT</pubDate>
  <description><![CDATA[<p>NEW YORK, Feb 21 - The UN Security Council demanded that M23 rebels withdraw.</p>
  <p>The council called on Rwanda to stop supporting the group.</p>]]></description>
</item>
<item>
  <title>No date here</title>
  <description>Thailand and Cambodia agreed to a ceasefire after talks in Malaysia.</description>
</item>
</channel></rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Example Atom News</title>
  <id>urn:example:feed</id>
  <updated>2025-07-28T12:00:00Z</updated>
  <entry>
    <title>Estonia expels Russian diplomat</title>
    <link href="https://example.org/europe/estonia"/>
    <id>urn:example:1</id>
    <updated>2025-03-12T09:30:00Z</updated>
    <summary>Short summary.</summary>
    <content type="html">&lt;p&gt;TALLINN - Estonia expelled a Russian diplomat.&lt;/p&gt;
      &lt;p&gt;Moscow vowed to respond.&lt;/p&gt;</content>
  </entry>
</feed>
"""


def test_rss_feed_items(tmp_path):
    path = tmp_path / "feed.xml"
    path.write_text(RSS, encoding="utf-8")
    first, second = articles(path, default_date=date(2020, 1, 1))
    assert first.source == f"{path}#item 1" and second.source == f"{path}#item 2"
    assert first.kind == second.kind == "rss"
    assert first.outlet == "Example Wire - World"
    assert first.title == "UN Security Council demands M23 withdrawal"
    assert first.url == "https://example.org/africa/m23"
    assert first.published == date(2025, 2, 21)
    assert first.text == (
        "NEW YORK, Feb 21 - The UN Security Council demanded that M23 rebels withdraw.\n\n"
        "The council called on Rwanda to stop supporting the group."
    )
    assert second.status == "ok" and second.url is None
    assert second.published == date(2020, 1, 1)
    assert second.id == article_id(second.text, None)


def test_atom_feed_prefers_content_over_summary(tmp_path):
    path = tmp_path / "news.atom"
    path.write_text(ATOM, encoding="utf-8")
    article = one(path)
    assert article.kind == "atom" and article.status == "ok"
    assert article.text == "TALLINN - Estonia expelled a Russian diplomat.\n\nMoscow vowed to respond."
    assert article.published == date(2025, 3, 12)
    assert article.url == "https://example.org/europe/estonia"
    assert article.outlet == "Example Atom News"


def test_xml_that_is_not_a_feed_is_unparseable(tmp_path):
    path = tmp_path / "catalog.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<!-- books -->\n<catalog><book>A</book></catalog>', encoding="utf-8"
    )
    article = one(path)
    assert article.status == "unparseable"
    assert article.reason == "not an RSS or Atom feed (root element <catalog>)"


def test_garbage_feed_is_unparseable(tmp_path):
    path = tmp_path / "junk.rss"
    path.write_text("this is <<< not xml & not a feed", encoding="utf-8")
    article = one(path)
    assert article.status == "unparseable" and article.reason


def test_feed_without_items_is_empty(tmp_path):
    path = tmp_path / "quiet.rss"
    path.write_text('<rss version="2.0"><channel><title>Quiet</title></channel></rss>', encoding="utf-8")
    article = one(path)
    assert article.status == "empty" and article.kind == "rss"


def test_truncated_feed_without_items_is_unparseable(tmp_path):
    path = tmp_path / "cut.rss"
    path.write_text('<rss version="2.0"><channel><title>Cut off', encoding="utf-8")
    article = one(path)
    assert article.status == "unparseable" and article.reason.startswith("not a readable RSS/Atom feed")


def test_feed_html_entities_are_decoded(tmp_path):
    path = tmp_path / "entities.rss"
    path.write_text(
        '<rss version="2.0"><channel><title>T</title><item><title>A</title>'
        "<description>Talks &amp;amp; trade: Paris &amp;amp; Berlin agree.</description>"
        "</item></channel></rss>",
        encoding="utf-8",
    )
    assert one(path).text == "Talks & trade: Paris & Berlin agree."


def test_fifos_and_symlink_loops_do_not_hang(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "story.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "a" / "loop").symlink_to(tmp_path)
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "nowhere")
    os.mkfifo(tmp_path / "pipe.txt")
    found = articles(tmp_path, tmp_path / "pipe.txt")
    assert [(Path(a.source).name, a.status) for a in found] == [
        ("story.txt", "ok"),
        ("pipe.txt", "unparseable"),
    ]
    assert found[1].reason.startswith("not a regular file")


def test_every_file_in_a_mixed_folder_gives_a_record(tmp_path):
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "b.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "c.jsonl").write_text(json.dumps({"text": BODY}) + "\n", encoding="utf-8")
    (tmp_path / "d.rss").write_text(RSS, encoding="utf-8")
    (tmp_path / "e.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / "f.xml").write_bytes(random.Random(1).randbytes(4_000))
    found = articles(tmp_path)
    assert [(Path(a.source).name, a.status) for a in found] == [
        ("a.txt", "ok"),
        ("b.html", "ok"),
        ("c.jsonl:line 1", "ok"),
        ("d.rss#item 1", "ok"),
        ("d.rss#item 2", "ok"),
        ("e.docx", "unparseable"),
        ("f.xml", "binary"),
    ]
