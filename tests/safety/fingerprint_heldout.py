"""Write safety/data/heldout_fingerprints.txt: the SHA-256 of every held-out message, normalised.

The crisis classifier (safety/classifier.py) learns from the development half and nlu_data/,
and must never learn a held-out message: an nlu_data example can be the same words as a
held-out line ("hi", "thanks"). The product does not read tests/, so it is given these
fingerprints instead and leaves out any training message whose normalised form has one. Only
hashes are written and only a count is shown, so nothing of the held-out half is read by a
person. Run it again when the held-out half or `normalise` changes:

    .venv/bin/python tests/safety/fingerprint_heldout.py

tests/safety/test_classifier.py fails until the file is current.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HELDOUT = Path(__file__).resolve().parent / "corpus" / "heldout"


def heldout_fingerprints() -> list[str]:
    sys.path.insert(0, str(ROOT))
    from safety.classifier import fingerprint_of

    found = set()
    for name in ("crisis.tsv", "near_miss.tsv"):
        for line in (HELDOUT / name).read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                found.add(fingerprint_of(line.partition("\t")[2]))
    return sorted(found)


def main() -> int:
    from safety.classifier import HELDOUT_FINGERPRINTS, write_fingerprints

    prints = heldout_fingerprints()
    write_fingerprints(HELDOUT_FINGERPRINTS, prints)
    print(f"{len(prints)} held-out fingerprints -> {HELDOUT_FINGERPRINTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
