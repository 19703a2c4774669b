"""Reader for PETRARCH/TABARI verb dictionaries (CAMEO.2.0.txt, PETR.Validate.verbs.txt).

Format, as PETRARCH2 reads it:
- ``# ...`` comments; ``<!-- ... -->`` lines (the validation files) are comments too.
- Synonym sets: ``&NAME`` then ``+MEMBER`` lines (members may be phrases or other sets).
- Verb blocks: ``--- NAME [code] ---`` then member verbs ``VERB {FORMS} [code]`` where a ``+`` inside a
  multi-word entry marks the verb (``+CORDON_OFF``, ``WIRE_+TAP``), ``{...}`` lists irregular forms
  (``{}``: none), and pattern lines ``- WORDS * WORDS [code]``.
- The ``TRANSFORMATIONS`` section (``~ a (a b ATTACK) SAY = a b 015``) is read as data but not applied here.
"""

from __future__ import annotations

import re
from pathlib import Path

from eventscope.patterns.model import VerbDictionary, VerbEntry, VerbGroup, VerbPattern

_CODE_RE = re.compile(r"\[([^\]]*)\]")
_HEADER_RE = re.compile(r"^-{3}\s*(\S+)\s*(?:\[([^\]]*)\])?\s*-{3}")


def _strip_comment(line: str) -> str:
    if line.lstrip().startswith("<"):
        return ""
    return line.split("#", 1)[0].rstrip()


def read_verb_dictionary(path: str | Path, source: str | None = None) -> VerbDictionary:
    """Parse a PETRARCH verb dictionary into groups, verbs, patterns and synonym sets."""
    path = Path(path)
    source = source or f"petrarch:{path.name}"
    vd = VerbDictionary()
    group: VerbGroup | None = None
    synset: str | None = None
    counter: dict[str, int] = {}
    in_transforms = False
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if "TRANSFORMATIONS" in raw and raw.lstrip().startswith("#"):
            in_transforms = True
            continue
        if "VERB PATTERNS" in raw and raw.lstrip().startswith("#"):
            in_transforms = False
            continue
        full = raw.rstrip()
        note = full.split("#", 1)[1].strip() if "#" in full and not full.lstrip().startswith("<") else ""
        line = _strip_comment(full)
        if not line.strip():
            if not full.strip():
                synset = None  # a blank line ends a synonym set; a comment line does not
            continue
        s = line.strip()
        if in_transforms and s.startswith("~"):
            vd.transformations.append(s)
            continue
        if s.startswith("&"):
            synset = s.split()[0].rstrip("_")
            vd.synsets.setdefault(synset, [])
            group = None
            continue
        if synset and s.startswith("+"):
            member = s[1:].strip()
            vd.synsets[synset].append(member)
            continue
        m = _HEADER_RE.match(s)
        if m:
            synset = None
            name = m.group(1).rstrip("_")
            code = _norm_code(m.group(2))
            group = vd.groups.get(name)
            if group is None:
                group = VerbGroup(name=name, code=code, source=source)
                vd.groups[name] = group
            continue
        if group is None:
            continue
        if s.startswith("-"):
            body = s[1:].strip()
            cm = _CODE_RE.search(body)
            code = _norm_code(cm.group(1)) if cm else group.code
            text = " ".join(_CODE_RE.sub("", body).split())
            if not text:
                continue
            counter[group.name] = counter.get(group.name, 0) + 1
            pid = f"{group.name}-{counter[group.name]:03d}"
            group.patterns.append(VerbPattern(pid, group.name, text, code or "---", source, note))
            continue
        entry = _parse_verb_line(s, group.name, source, note)
        if entry is not None:
            group.verbs.append(entry)
    return vd


def _norm_code(code: str | None) -> str | None:
    if code is None:
        return None
    code = code.strip()
    return code or None


def _parse_verb_line(s: str, group: str, source: str, note: str) -> VerbEntry | None:
    code = None
    cm = _CODE_RE.search(s)
    if cm:
        code = _norm_code(cm.group(1))
        s = _CODE_RE.sub("", s)
    forms: tuple[str, ...] | None = None
    fm = re.search(r"\{([^}]*)\}", s)
    if fm:
        forms = tuple(f.strip() for f in fm.group(1).split() if f.strip())
        s = s[: fm.start()] + s[fm.end() :]
    phrase = s.strip().split()[0] if s.strip() else ""
    if not phrase:
        return None
    return VerbEntry(group=group, phrase=phrase, forms=forms, code=code, source=source, note=note)
