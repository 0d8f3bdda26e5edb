"""Detection on real mail nobody here wrote: the development half of the real corpus, through the real
`check` command, must stay at or above the project's floors (scripts/realmail holds them).

The corpus lives beside the repository (`../shared/realmail/dev`) or where GIFTCARD_REALMAIL points. It is
not part of the repository; where it is absent the test is skipped with that reason in the summary
(`pytest -rs`), unless GIFTCARD_REALMAIL_REQUIRED=1 makes its absence a failure.
"""
import json
import os
import subprocess
import sys

import pytest

from harness import MILTER, ROOT

CORPUS = os.environ.get("GIFTCARD_REALMAIL") or os.path.join(ROOT, "..", "shared", "realmail", "dev")
SCRIPT = os.path.join(ROOT, "scripts", "realmail")


def corpus_or_skip():
    if os.path.exists(os.path.join(CORPUS, "manifest.jsonl")):
        return
    if os.environ.get("GIFTCARD_REALMAIL_REQUIRED") == "1":
        pytest.fail(f"real-mail corpus missing at {CORPUS}")
    pytest.skip(f"REAL-MAIL CORPUS NOT FOUND at {os.path.abspath(CORPUS)}: floors not measured")


def realmail(*args):
    return subprocess.run([sys.executable, SCRIPT, "--bin", MILTER, "--dir", CORPUS, *args],
                          capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("mode", [[], ["--deployed"]], ids=["as-stored", "as-deployed"])
def test_real_mail_meets_the_floors(mode):
    """As stored, and as deployed behind OpenDKIM (every DKIM-signed message, Gmail's scams included,
    arriving with a trusted pass for its signer): the floors hold in both."""
    corpus_or_skip()
    out = realmail("--floors", *mode)
    print(out.stdout)
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr
    figures = json.loads(realmail("--json", *mode).stdout)
    # The same floors, read from the figures themselves: the script's exit status is not taken on trust.
    assert figures["groups"]["giftcard"]["rate"] >= 0.92
    assert figures["groups"]["purchase"]["rate"] >= 0.85
    assert figures["ham_flagged"] == []


def test_floors_fail_when_detection_fails():
    """--floors is a real gate: a binary that flags nothing must fail it."""
    corpus_or_skip()
    fake = os.path.join(os.environ.get("TMPDIR", "/tmp"), "giftcard-none-check")
    with open(fake, "w") as f:
        f.write("#!/bin/sh\n"
                "shift; shift; shift; shift\n"
                "for f in \"$@\"; do printf '{\"file\":\"%s\",\"verdict\":\"none\",\"reasons\":[]}\\n' \"$f\"; done\n")
    os.chmod(fake, 0o755)
    out = subprocess.run([sys.executable, SCRIPT, "--bin", fake, "--dir", CORPUS, "--floors"],
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 1, out.stdout[-1000:]
