"""The packaged Sieve script (packaging/sieve/giftcard.sieve) on messages delivered through Postfix with
the milter, run by Pigeonhole's sieve-test: suspicious goes to Junk, erroneous is flagged, the rest stays."""
import pytest
import os
import subprocess
import tempfile

from harness import ROOT
import messages

pytestmark = pytest.mark.root

SCRIPT = os.path.join(ROOT, "packaging", "sieve", "giftcard.sieve")


def sieve(delivered):
    directory = tempfile.mkdtemp(prefix="gcm-sieve-")
    os.chmod(directory, 0o755)
    path = os.path.join(directory, "message.eml")
    with open(path, "wb") as f:
        f.write(delivered)
    os.chmod(path, 0o644)
    result = subprocess.run(["sieve-test", "-o", "mail_uid=nobody", "-o", "mail_gid=nogroup", SCRIPT, path],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_suspicious_is_filed_into_junk(stack):
    postfix, _ = stack
    out = sieve(postfix.send(messages.spoofed_amazon_callback()))
    assert "store message in folder: Junk" in out and "$Junk" in out


def test_erroneous_is_flagged_and_kept(stack):
    postfix, _ = stack
    out = sieve(postfix.send(messages.seed_incident()))
    assert "store message in folder: INBOX" in out and "\\flagged" in out


def test_ordinary_mail_is_untouched(stack):
    postfix, _ = stack
    out = sieve(postfix.send(messages.ordinary()))
    assert "store message in folder: INBOX" in out and "flag" not in out.lower()
