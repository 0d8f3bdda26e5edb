"""Per-verdict policies through a real Postfix: reject answers 5.7.1, quarantine puts the message on
hold, and exempt clients get headers only."""
import os
import smtplib
import subprocess
import tempfile

import pytest

from conftest import TRUSTED
from harness import milter_and_postfix, parse
import messages

pytestmark = pytest.mark.root


def seed_incident():
    return messages.seed_incident()


def start(config):
    return milter_and_postfix(f"TrustedAuthservIDs {TRUSTED}\nStateDirectory {{base}}/state\n{config}", prefix="gcm-policy-")


@pytest.fixture(scope="module")
def strict():
    with start("OnSuspicious reject\nOnErroneous quarantine\nInternalNetworks 10.0.0.0/8, 2001:db8::/32\n") as both:
        yield both


def test_reject_answers_571(strict):
    _, postfix = strict
    with pytest.raises(smtplib.SMTPDataError) as refused:
        postfix.send(messages.spoofed_amazon_callback(), timeout=5)
    assert refused.value.smtp_code == 550
    assert b"5.7.1" in refused.value.smtp_error and b"giftcard-milter" in refused.value.smtp_error


def test_quarantine_holds_the_message(strict):
    milter, postfix = strict
    with smtplib.SMTP("127.0.0.1", postfix.smtp_port, timeout=30) as smtp:
        smtp.sendmail("sender@example.net", ["alice@example.org"], seed_incident())
    queue = subprocess.run(["postqueue", "-c", postfix.etc, "-p"], capture_output=True, text=True, timeout=30).stdout
    assert "!" in queue, queue  # postqueue marks held messages with '!'
    assert "action=quarantine" in milter.log_text()
    assert "milter triggers HOLD action" in postfix.maillog_text() or "hold" in postfix.maillog_text().lower()


def test_clean_mail_still_flows(strict):
    _, postfix = strict
    assert parse(postfix.send(messages.ordinary()))["X-GiftCard-Verdict"] == "none"


def test_internal_clients_are_exempt():
    with start("OnSuspicious reject\nInternalNetworks 127.0.0.0/8\n") as (milter, postfix):
        delivered = parse(postfix.send(messages.spoofed_amazon_callback()))
        assert delivered["X-GiftCard-Verdict"] == "suspicious"
        assert "exempt=internal-network" in milter.log_text()
