"""Build the translation catalogs from the source and the translation fragments.

Message ids are English. Indonesian translations live in `locale/fragments/*.po` (one file
per area, so that work on different areas never edits the same file); this script extracts
every message id with makemessages, fills the Indonesian catalog from the fragments, and
compiles both catalogs. It prints the ids that have no Indonesian translation yet and exits 1
when there are any (unless --allow-missing).

    python scripts/build_locale.py [--allow-missing]
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
FRAGMENTS = ROOT / "locale" / "fragments"
IGNORES = [".venv/*", "staticfiles/*", "var/*", "tests/*", "bench/*", "scripts/*"]


def manage(*args: str) -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, check=True, env=env)  # noqa: S603


def load_fragments() -> dict[tuple[str, str], polib.POEntry]:
    entries: dict[tuple[str, str], polib.POEntry] = {}
    for path in sorted(FRAGMENTS.glob("*.po")):
        for entry in polib.pofile(str(path)):
            if entry.msgstr or entry.msgstr_plural:
                entries.setdefault((entry.msgctxt or "", entry.msgid), entry)
    return entries


def main() -> int:
    allow_missing = "--allow-missing" in sys.argv
    ignore_args = [arg for pattern in IGNORES for arg in ("--ignore", pattern)]
    manage("makemessages", "-l", "id", "-l", "en", "--no-obsolete", "--no-location", *ignore_args)
    translations = load_fragments()
    catalog_path = ROOT / "locale" / "id" / "LC_MESSAGES" / "django.po"
    catalog = polib.pofile(str(catalog_path))
    missing = []
    for entry in catalog:
        source = translations.get((entry.msgctxt or "", entry.msgid))
        if source is None:
            if not entry.msgstr and not any(entry.msgstr_plural.values()):
                missing.append(entry.msgid)
            continue
        entry.msgstr = source.msgstr
        if entry.msgid_plural:
            entry.msgstr_plural = dict(source.msgstr_plural) or {0: source.msgstr}
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    catalog.metadata["Language"] = "id"
    catalog.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    catalog.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    catalog.save(str(catalog_path))
    en_path = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
    en = polib.pofile(str(en_path))
    en.metadata["Language"] = "en"
    en.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    for entry in en:
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    en.save(str(en_path))
    manage("compilemessages", "--ignore", ".venv/*")
    if missing:
        print(f"{len(missing)} message(s) without an Indonesian translation:", file=sys.stderr)
        for msgid in missing:
            print(f"  {msgid!r}", file=sys.stderr)
        return 0 if allow_missing else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
