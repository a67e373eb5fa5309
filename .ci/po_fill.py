#!/usr/bin/env python
"""Refresh the catalogues from the source and fill Vietnamese translations from a JSON file.

Usage: .venv/bin/python .ci/po_fill.py [translations.json]
The JSON maps each English msgid to its Vietnamese text (for plurals: a list of forms).
A lock keeps two people from rewriting the catalogue at once.
"""

import fcntl
import json
import os
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def main() -> int:
    translations = json.loads(Path(sys.argv[1]).read_text()) if len(sys.argv) > 1 else {}
    env = {**os.environ, "DEBUG": "true"}
    with open(ROOT / "locale" / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "makemessages",
                "-l",
                "vi",
                "-l",
                "en",
                "--no-obsolete",
                # Files without line numbers: a catalogue changes only where a message does.
                "--add-location=file",
                "--ignore=.venv",
                "--ignore=var",
                "--ignore=conftest.py",
                "--ignore=*/tests/*",
                "--ignore=bench/*",
            ],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        po = polib.pofile(str(PO))
        po.metadata["Project-Id-Version"] = "CCHC Inspect"
        po.metadata["Language-Team"] = "Vietnamese"
        po.metadata["Last-Translator"] = "CCHC Inspect team"
        po.metadata["PO-Revision-Date"] = po.metadata.get("POT-Creation-Date", "")
        po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
        po.metadata["Language"] = "vi"
        po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
        for entry in po:
            value = translations.get(entry.msgid)
            if value is None:
                continue
            if entry.msgid_plural:
                forms = value if isinstance(value, list) else [value]
                entry.msgstr_plural = {0: forms[0]}
            else:
                entry.msgstr = value
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        po.save()
        subprocess.run([sys.executable, "manage.py", "compile_translations"], cwd=ROOT, env=env, check=True)
    missing = [e.msgid for e in po if not (e.msgstr or any(e.msgstr_plural.values())) or "fuzzy" in e.flags]
    if missing:
        print(f"{len(missing)} msgid(s) still without a Vietnamese translation:")
        for msgid in missing:
            print("  ", json.dumps(msgid, ensure_ascii=False))
        return 1
    print("Every msgid has a Vietnamese translation.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
