"""STIX exports checked by the OASIS validator and parsed by the stix2 library.

Run by scripts/client-tests.sh with the garrison binary as the argument. For each
graph (the seed, a generated graph with every marking, an OpenCTI bundle imported),
it exports STIX with `garrison export --format stix`, validates the file with
stix2-validator, parses it with stix2, checks that every reference resolves inside
the bundle and that event names are unique, then imports the STIX into an empty
database and checks that the bundle export of both databases is the same file.
"""
import collections
import json
import os
import re
import subprocess
import sys
import tempfile

import stix2
from stix2validator import ValidationOptions, validate_file

GARRISON = os.path.abspath(sys.argv[1])
HERE = os.path.dirname(os.path.abspath(__file__))
OPENCTI = os.path.join(HERE, "..", "data", "opencti-bundle.json")

# Warnings the mapping accepts, with why:
ACCEPTED_WARNINGS = {
    "103",  # ids are UUIDv5 of garrison's keys (deterministic), not UUIDv4
    "202",  # an asset (x-garrison-asset) located-at a base is not among the suggested pairs
    "302",  # external references to web pages carry no hash
    "401",  # x_opencti_reliability is OpenCTI's own top-level property
}


def garrison(*args):
    done = subprocess.run([GARRISON, *args], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"garrison {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout


def database(directory, name):
    url = f"sqlite://{os.path.join(directory, name)}.db?mode=rwc"
    garrison("migrate", "--database-url", url)
    return url


def check_stix(path, label):
    results = validate_file(path, ValidationOptions(version="2.1"))
    errors = [str(e) for o in results.object_results for e in o.errors]
    assert results.is_valid and not errors, f"{label}: not valid STIX 2.1: {errors[:10]}"
    warnings = collections.Counter(
        re.search(r"\{(\d+)\}", str(w)).group(1)
        for o in results.object_results
        for w in o.warnings
    )
    unexpected = {code: n for code, n in warnings.items() if code not in ACCEPTED_WARNINGS}
    assert not unexpected, f"{label}: unexpected warnings {unexpected}"

    with open(path) as f:
        text = f.read()
    bundle = stix2.parse(text, allow_custom=True)
    raw = json.loads(text)
    assert len(bundle.objects) == len(raw["objects"]), label
    ids = {o["id"] for o in raw["objects"]}
    assert len(ids) == len(raw["objects"]), f"{label}: an id is used twice"
    for o in raw["objects"]:
        for name, value in o.items():
            refs = value if name.endswith("_refs") else [value] if name.endswith("_ref") else []
            for ref in refs:
                assert ref in ids, f"{label}: {o['id']}.{name} names {ref}, not in the bundle"
    names = [o["name"] for o in raw["objects"] if o["type"] == "event"]
    assert len(names) == len(set(names)), f"{label}: two events share a name"
    kinds = collections.Counter(o["type"] for o in raw["objects"])
    print(f"  {label}: valid, parsed, {len(raw['objects'])} objects {dict(kinds)}")


def round_trip(directory, url, label):
    stix = os.path.join(directory, f"{label}.stix.json")
    before = os.path.join(directory, f"{label}.before.json")
    after = os.path.join(directory, f"{label}.after.json")
    garrison("export", "--format", "stix", "--database-url", url, "--output", stix)
    check_stix(stix, label)
    garrison("export", "--database-url", url, "--output", before)
    copy = database(directory, f"{label}-copy")
    garrison("import", "--format", "stix", "--database-url", copy, stix)
    garrison("export", "--database-url", copy, "--output", after)
    with open(before, "rb") as a, open(after, "rb") as b:
        assert a.read() == b.read(), f"{label}: bundle → STIX → import → bundle differs"
    again = garrison("import", "--format", "stix", "--database-url", copy, stix)
    assert "0 created, 0 updated, 0 deleted" in again, f"{label}: not idempotent: {again}"
    print(f"  {label}: bundle → STIX → import → bundle is the same file")


def main():
    with tempfile.TemporaryDirectory() as directory:
        seed = database(directory, "seed")
        garrison("import", "--database-url", seed, os.path.join(HERE, "..", "..", "data", "seed.json"))
        round_trip(directory, seed, "seed")

        generated = database(directory, "generated")
        garrison("generate", "--database-url", generated, "--actors", "60", "--bases", "30",
                 "--assets", "80", "--events", "400", "--seed", "7")
        round_trip(directory, generated, "generated")

        opencti = database(directory, "opencti")
        garrison("import", "--format", "stix", "--database-url", opencti, OPENCTI)
        round_trip(directory, opencti, "opencti")
    print("STIX client tests passed")


if __name__ == "__main__":
    main()
