import gettext
import re
from pathlib import Path

PO = Path(__file__).resolve().parents[2] / "locale" / "da" / "LC_MESSAGES" / "django.po"


def _string(block: str) -> str:
    return "".join(re.findall(r'"(.*)"', block)).encode().decode("unicode_escape").encode("latin-1").decode()


def _entries() -> list[str]:
    return PO.read_text(encoding="utf-8").split("\n\n")[1:]  # the first entry is the header


def test_every_message_has_a_danish_translation():
    """Danish is the UI's first language: an English msgid left untranslated shows up in the Danish UI."""
    missing = []
    for entry in _entries():
        msgstrs = re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', entry + "\n", re.M)
        if "#, fuzzy" in entry or any(not _string(s) for s in msgstrs):
            missing.append(entry)
    assert not missing, "untranslated or fuzzy:\n" + "\n\n".join(missing)


def test_the_compiled_catalogue_matches_the_po_file():
    catalogue = gettext.GNUTranslations(PO.with_suffix(".mo").open("rb"))
    stale = []
    for entry in _entries():
        if "msgctxt" in entry or "msgid_plural" in entry:
            continue
        msgid = _string(re.search(r'^msgid ((?:".*"\n?)+)', entry + "\n", re.M).group(1))
        msgstr = _string(re.search(r'^msgstr ((?:".*"\n?)+)', entry + "\n", re.M).group(1))
        if catalogue.gettext(msgid) != msgstr:
            stale.append(msgid)
    assert not stale, f"run `manage.py compilemessages -l da`: {stale}"
