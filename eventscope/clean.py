"""clean: raw extracted text -> tidy text in paragraph and heading blocks, without scraping debris.

What it does, in order: repair UTF-8-read-as-cp1252 mojibake (``â€™`` -> ``’``), normalise Unicode
(NFC; no-break spaces become spaces; zero-width characters and soft hyphens go; quotes are kept as
they are, since they are evidence), drop whole lines of scraping debris ("Advertisement",
"Share on Facebook", cookie banners ...), join hard-wrapped lines, and mark headings. The result
is paragraphs separated by exactly one blank line, and ``Block`` spans that index into it.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata

from eventscope.model import STATUS_EMPTY, STATUS_NOT_ENGLISH, STATUS_OK, Article, Block

__all__ = ["DEBRIS_PATTERNS", "clean_article", "clean_text", "guess_language"]

HEADING_MAX_WORDS = 12
# A line this long cannot come from hard-wrapped text: its group's line breaks are paragraph breaks.
WRAPPED_LINE_MAX_CHARS = 100
LANGUAGE_SAMPLE_CHARS = 2000
LANGUAGE_MIN_WORDS = 8

# ---------------------------------------------------------------------------------------------
# Unicode repair and normalisation

# Characters that cp1252 (or latin-1) shows for the bytes 0x80-0xBF: the tail bytes of a UTF-8
# sequence. A mis-decoded "’" (E2 80 99) reads "â€™".
_CP1252_TAIL_CHARS = "".join(
    sorted({bytes([b]).decode("cp1252", errors="ignore") for b in range(0x80, 0xC0)} - {""})
    + [chr(b) for b in range(0x80, 0xC0)]
)
_TAIL = "[" + re.escape(_CP1252_TAIL_CHARS) + "]"
_MOJIBAKE_SEQUENCE = re.compile(
    f"[\u00c2-\u00df]{_TAIL}|[\u00e0-\u00ef]{_TAIL}{{2}}|[\u00f0-\u00f4]{_TAIL}{{3}}"
)
# Only lines with one of these tell-tale sequences are repaired, so that genuine text such as
# "PELÉ’s" (É then ’ would also decode as UTF-8) is never touched.
_MOJIBAKE_HINT = re.compile(f"â€|Ã{_TAIL}|Â[\u00a0-\u00bf]")

_LINE_SEPARATORS = re.compile("\r\n|[\r\v\f\x1c\x1d\x1e\u2028\u2029]")
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff\u180e]")  # soft hyphen, zero-width
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"[^\S\n]+")  # any run of whitespace but newlines, no-break spaces included


def _cp1252_bytes(text: str) -> bytes:
    out = bytearray()
    for char in text:
        code = ord(char)
        out += bytes([code]) if code < 0x100 else char.encode("cp1252")
    return bytes(out)


def _repair_sequence(match: re.Match[str]) -> str:
    try:
        return _cp1252_bytes(match.group()).decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return match.group()


def repair_mojibake(line: str) -> str:
    """Undo UTF-8 text that was decoded as cp1252/latin-1, sequence by sequence, where it decodes."""
    if not _MOJIBAKE_HINT.search(line):
        return line
    return _MOJIBAKE_SEQUENCE.sub(_repair_sequence, line)


def normalise_unicode(text: str) -> str:
    text = _LINE_SEPARATORS.sub("\n", text)
    text = "\n".join(repair_mojibake(line) for line in text.split("\n"))
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub("", text.replace("\t", " "))
    return unicodedata.normalize("NFC", text)


# ---------------------------------------------------------------------------------------------
# Debris: whole lines that are page furniture, never article text. Each pattern must match the
# WHOLE (stripped) line, so sentences that merely contain these words are kept.

_SHARE_WORDS = (
    r"share|shares|tweet|email|e-mail|mail|print|facebook|twitter|x|whatsapp|linkedin|telegram|reddit|"
    r"pinterest|messenger|copy|link|copied|comments?|save|flipboard|sms|bluesky|threads"
)
_DEBRIS_SOURCES = (
    r"[\W_]+",  # no letter or digit at all: rules, bullets, "* * *"
    r"[-–—|•·\s]*(?:advertisements?|advertisment|advertorial|adverts?|ads?|sponsored(?: content| links?"
    r"| stories)?|paid (?:content|partner(?:ship)?)|promoted(?: content)?)[-–—|•·\s:]*",
    r"(?:story|article|text) continues (?:below|after)(?: (?:this|the))? (?:advertisement|ad|advert)",
    r"(?:continue reading|scroll to continue)(?: (?:below|with content|the main story))?[.…]*",
    r"subscribe\b[^.!?]{0,80}[.!]?",
    r"(?:sign (?:up|in)|log ?in|register)(?: (?:now|here|today|for free|to (?:comment|continue|read)))?[.!]?",
    r"(?:sign up|get|receive)(?: (?:for|to))? (?:our|the|my|a|free)\b.{0,60}"
    r"\b(?:newsletters?|briefings?|alerts|in your inbox)\b.{0,60}",
    r"share (?:this|the) (?:article|story|post|page|video)\b.{0,60}",
    r"share (?:on|via|to|with) .{1,40}",
    rf"(?:(?:{_SHARE_WORDS})\b[\s|•·,/:()-]*)+",  # a row of share buttons
    r"click here\b.{0,120}",
    r"(?:read more|related(?: (?:articles?|stories|coverage|content|news|topics))?|also read|read also|"
    r"see also|more on this(?: story)?|recommended(?: stories| for you)?|most (?:read|popular|viewed)|"
    r"trending(?: now)?|you (?:may|might) also (?:like|be interested in)|editor'?s picks?)"
    r"\s*(?:[:»›>|–—-]\s*.{0,150})?",
    r"follow (?:us|me)(?:\s+(?:on|at|in)\b.{0,80}|\s*[:@].{0,80})?[.!]?",
    r".{0,120}\b(?:we|this (?:site|website)) uses? cookies\b.{0,250}",
    r"(?:accept|reject|allow|manage)(?: all)? cookies\b.{0,40}",
    r"(?:manage )?(?:cookie (?:policy|settings|preferences|notice|consent)|privacy (?:policy|settings)|"
    r"terms (?:of|and) (?:use|service|conditions))[.!]?",
    r"skip to (?:the )?(?:main )?(?:content|navigation|search|footer)",
    r"(?:image|images|photo|photos|picture|pictures|photograph|video|graphic|illustration|file photo)"
    r"(?: credits?)?\s*:\s*.{0,150}",
    r"\(?(?:photo|image|picture|video)s? (?:by|credit|courtesy(?: of)?)\b.{0,100}",
    r"(?:copyright\b|©|\(c\) ).{0,120}",
    r".{0,100}\ball rights reserved\b.{0,40}",
    r"\d{1,3}\s*min(?:ute)?s? read",
    r"(?:listen to this (?:article|story)|loading|please wait)(?:\.{3}|…)?",
)
DEBRIS_PATTERNS: tuple[re.Pattern[str], ...] = tuple(re.compile(p, re.IGNORECASE) for p in _DEBRIS_SOURCES)
_ANY_DEBRIS = re.compile("|".join(f"(?:{p})" for p in _DEBRIS_SOURCES), re.IGNORECASE)  # one pass per line
DEBRIS_MAX_CHARS = 500  # no pattern can match a longer line; longer lines skip the test

# "(Reporting by ...; Editing by ...)": not debris, but not article text to code either.
_CREDIT_LINE = re.compile(
    r"\((?:additional |further )?(?:reporting|writing|editing|compiled|research)\b[^()]*\)"
    r"|(?:additional )?(?:reporting|writing) by [^.;]{1,80}(?:;\s*(?:additional )?(?:reporting|writing|"
    r"editing) by [^.;]{1,80})+\.?",
    re.IGNORECASE,
)


def is_debris(line: str) -> bool:
    """True when the whole (stripped) line is scraping debris."""
    return len(line) <= DEBRIS_MAX_CHARS and _ANY_DEBRIS.fullmatch(line) is not None


# ---------------------------------------------------------------------------------------------
# Paragraphs and headings

_SENTENCE_END = tuple('.!?:;,"”…')
_MINOR_WORDS = frozenset("a an and as at but by for from in into of on or the to with vs via".split())


def _is_heading_like(line: str) -> bool:
    """Short, with a letter, and no sentence-final punctuation."""
    words = line.split()
    return (
        0 < len(words) <= HEADING_MAX_WORDS
        and not line.endswith(_SENTENCE_END)
        and any(char.isalpha() for char in line)
    )


def _is_titled(line: str) -> bool:
    """Title Case or ALL CAPS: what tells a heading from the first line of a hard-wrapped paragraph."""
    if line.isupper():
        return True
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", line) if w.lower() not in _MINOR_WORDS]
    return bool(words) and sum(w[0].isupper() for w in words) >= 0.75 * len(words)


def _split_group(lines: list[str]) -> list[tuple[str, str]]:
    """A run of non-blank lines -> (text, kind) blocks."""
    if len(lines) == 1 or any(len(line) > WRAPPED_LINE_MAX_CHARS for line in lines):
        # One paragraph per line (a lone line, or text that was never hard-wrapped).
        return [
            (line, "heading" if _is_heading_like(line) or _CREDIT_LINE.fullmatch(line) else "body")
            for line in lines
        ]
    blocks: list[tuple[str, str]] = []
    paragraph: list[str] = []
    for index, line in enumerate(lines):
        own_heading = index == 0 and _is_heading_like(line) and _is_titled(line)
        if own_heading or _CREDIT_LINE.fullmatch(line):
            if paragraph:
                blocks.append((" ".join(paragraph), "body"))
                paragraph = []
            blocks.append((line, "heading"))
        else:
            paragraph.append(line)
    if paragraph:
        blocks.append((" ".join(paragraph), "body"))
    return blocks


def clean_text(raw: str) -> tuple[str, list[Block]]:
    """Cleaned text and its blocks; ``text[b.start:b.end]`` is each block's text."""
    groups: list[list[str]] = [[]]
    for line in normalise_unicode(raw or "").split("\n"):
        line = _SPACES.sub(" ", line).strip()
        if not line or is_debris(line):
            if groups[-1]:
                groups.append([])  # a dropped debris line also ends a paragraph
            continue
        groups[-1].append(line)

    parts: list[str] = []
    blocks: list[Block] = []
    offset = 0
    for group in groups:
        if not group:
            continue
        for text, kind in _split_group(group):
            if parts:
                parts.append("\n\n")
                offset += 2
            parts.append(text)
            blocks.append(Block(offset, offset + len(text), kind))
            offset += len(text)
    return "".join(parts), blocks


# ---------------------------------------------------------------------------------------------
# Language

_STOP_WORDS: dict[str, frozenset[str]] = {
    code: frozenset(words.split())
    for code, words in {
        "en": "the of and to in a is that for on with as was by at from his her it an are were be has have "
        "had said this which not but they their its will would been who after also or",
        "fr": "le la les de des du un une et est en que qui dans pour pas sur au aux avec ce cette il elle "
        "ont sont été par plus ne se son sa ses leur nous vous mais ou où était selon lors",
        "de": "der die das und ist nicht den dem des ein eine einer einem zu mit sich auf für von im auch "
        "es wird wurde sind war hat haben bei nach aus wie noch nur oder über vor zum zur dass sie er",
        "es": "el la los las de del y que en un una por con para es se no su sus al lo como más pero ha "
        "fue son este esta entre sobre también sin según ya hasta desde",
        "it": "il lo la i gli le di del della dei delle che e è un una per con non si da al alla sono ha "
        "ma come più anche nel nella questo questa dopo secondo stato essere",
        "pt": "o a os as de do da dos das e que em um uma para com não no na nos se por mais ao é foi são "
        "seu sua também como mas ou pelo pela entre após segundo",
        "nl": "de het een en van in is dat op te zijn met voor niet aan er die ook als bij door maar om "
        "dan nog wordt werd heeft hebben naar uit over tot zich deze",
        "tr": "ve bir bu da de için ile olarak çok daha gibi olan ama sonra kadar ancak değil göre ise mi "
        "ya her şey tarafından ki diye olduğunu ne veya yeni etti edildi",
    }.items()
}
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")

# (first, last code point, script) for the non-Latin scripts we can name a language for.
_SCRIPT_RANGES = (
    (0x0370, 0x03FF, "el"),
    (0x0400, 0x052F, "cyrillic"),
    (0x0590, 0x05FF, "he"),
    (0x0600, 0x06FF, "arabic"),
    (0x0750, 0x077F, "arabic"),
    (0x0900, 0x097F, "hi"),
    (0x0E00, 0x0E7F, "th"),
    (0x1100, 0x11FF, "ko"),
    (0x3040, 0x30FF, "kana"),
    (0x3400, 0x4DBF, "han"),
    (0x4E00, 0x9FFF, "han"),
    (0xAC00, 0xD7AF, "ko"),
    (0xFB50, 0xFDFF, "arabic"),
    (0xFE70, 0xFEFF, "arabic"),
)


def _script_of(char: str) -> str:
    code = ord(char)
    if code < 0x0250:
        return "latin"
    for first, last, script in _SCRIPT_RANGES:
        if first <= code <= last:
            return script
    return "other"


def _script_language(sample: str) -> str | None:
    """The language a non-Latin script tells, when most letters are in it; None for Latin text."""
    counts: dict[str, int] = {}
    for char in sample:
        if char.isalpha():
            script = _script_of(char)
            counts[script] = counts.get(script, 0) + 1
    letters = sum(counts.values())
    non_latin = letters - counts.get("latin", 0) - counts.get("other", 0)
    if letters < 10 or non_latin < 0.5 * letters:
        return None
    script = max((s for s in counts if s not in ("latin", "other")), key=counts.__getitem__)
    if script == "cyrillic":
        return "uk" if any(char in "іїєґІЇЄҐ" for char in sample) else "ru"
    if script == "arabic":
        return "fa" if any(char in "پچژگ" for char in sample) else "ar"
    if script in ("han", "kana"):
        return "ja" if counts.get("kana", 0) else "zh"
    return script


def guess_language(text: str) -> str | None:
    """The language of ``text``: "en", another ISO 639-1 code, or None when it cannot tell.

    None means too short (under 8 words) or too mixed to say.

    Cheap on purpose: the script of the letters for non-Latin languages, else the share of
    common function words per language over the first ~2,000 characters.
    """
    sample = (text or "")[:LANGUAGE_SAMPLE_CHARS]
    by_script = _script_language(sample)
    if by_script:
        return by_script
    words = [w.lower() for w in _WORD.findall(sample)]
    if len(words) < LANGUAGE_MIN_WORDS:
        return None
    scores = sorted(
        ((sum(w in stop_words for w in words), code) for code, stop_words in _STOP_WORDS.items()),
        reverse=True,
    )
    (best, code), (second, _) = scores[0], scores[1]
    if best < 3 or best < 0.15 * len(words) or best < 1.3 * second:
        return None
    return code


# ---------------------------------------------------------------------------------------------
# Articles


def _clean_line(value: str | None) -> str | None:
    if not value:
        return value
    return _SPACES.sub(" ", normalise_unicode(value).replace("\n", " ")).strip() or None


def clean_article(article: Article) -> Article:
    """A copy of ``article`` with cleaned text and blocks; status ``empty`` or ``not_english`` if so."""
    text, blocks = clean_text(article.text)
    cleaned = dataclasses.replace(article, text=text, blocks=blocks, title=_clean_line(article.title))
    if article.status != STATUS_OK:
        return cleaned  # keep the reader's verdict (and its reason)
    body = "\n\n".join(text[b.start : b.end] for b in blocks if b.kind == "body")
    if not body:
        cleaned.status = STATUS_EMPTY
        cleaned.reason = "no text left after removing debris" if text or article.text.strip() else "no text"
        return cleaned
    cleaned.language = guess_language(body)
    if cleaned.language not in (None, "en"):
        cleaned.status = STATUS_NOT_ENGLISH
        cleaned.reason = f"language looks like '{cleaned.language}'"
    return cleaned
