"""The Indonesian catalog is complete and the committed .mo files match the .po files."""

from pathlib import Path

import polib
import pytest
from django.utils import translation

LOCALE = Path(__file__).resolve().parent.parent / "locale"


def _entries(language: str) -> list[polib.POEntry]:
    return [
        e
        for e in polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
        if not e.obsolete
    ]


def test_every_message_has_an_indonesian_translation():
    missing = [
        e.msgid
        for e in _entries("id")
        if not (e.msgstr or any(e.msgstr_plural.values())) or "fuzzy" in e.flags
    ]
    assert missing == []


@pytest.mark.parametrize("language", ["id", "en"])
def test_compiled_catalog_matches_the_po_file(language):
    stale = []
    with translation.override(language):
        for entry in _entries(language):
            if entry.msgid_plural or entry.msgctxt or not entry.msgstr:
                continue
            if translation.gettext(entry.msgid) != entry.msgstr:
                stale.append(entry.msgid)
    assert stale == [], "run scripts/build_locale.py to recompile the catalogs"


def test_no_message_has_two_indonesian_translations_in_the_fragments():
    # The build takes the first fragment's translation of a message id: a second, different
    # one would be silently ignored. Wording that differs by audience needs a context.
    seen: dict[tuple[str, str], tuple[str, str]] = {}
    conflicts = []
    for path in sorted((LOCALE / "fragments").glob("*.po")):
        for entry in polib.pofile(str(path)):
            key = (entry.msgctxt or "", entry.msgid)
            value = entry.msgstr or repr(sorted(entry.msgstr_plural.items()))
            if key in seen and seen[key][1] != value:
                conflicts.append((entry.msgid, seen[key][0], path.name))
            seen.setdefault(key, (path.name, value))
    assert conflicts == []
