"""giftcard-milter inside a real Postfix: what reaches the mailbox (smtp-sink) after the milter ran."""
import pytest
import os
import re
import subprocess
import time

from conftest import BULK
from harness import MILTER, body_of, parse
import messages

pytestmark = pytest.mark.root


def verdict_headers(msg):
    return msg.get_all("X-GiftCard-Verdict") or []


def test_spoofed_brand_confirmation_is_suspicious(stack):
    postfix, _ = stack
    delivered = parse(postfix.send(messages.spoofed_amazon_callback()))
    assert verdict_headers(delivered) == ["suspicious"]
    assert int(delivered["X-GiftCard-Score"]) >= 60
    report = str(delivered["X-GiftCard-Report"])
    assert "brand=amazon" in report and "lang=en" in report
    assert "callback-phone" in report and "brand-domain-mismatch" in report


def test_ordinary_message_is_none_and_body_untouched(stack):
    postfix, _ = stack
    original = messages.ordinary()
    received = postfix.send(original)
    assert verdict_headers(parse(received)) == ["none"]
    assert parse(received)["X-GiftCard-Score"] == "0"
    assert body_of(received) == body_of(original.replace(b"\r\n", b"\n"))


def test_forged_verdict_headers_are_replaced(stack):
    postfix, _ = stack
    forged = messages.spoofed_amazon_callback().replace(
        b"Subject:", b"X-GiftCard-Verdict: genuine\r\nx-giftcard-verdict: genuine\r\n"
        b"X-GiftCard-Score: 0\r\nX-GiftCard-Report: v=1; brand=amazon; reasons=brand-authenticated\r\nSubject:", 1)
    delivered = parse(postfix.send(forged))
    assert verdict_headers(delivered) == ["suspicious"]
    assert len(delivered.get_all("X-GiftCard-Score")) == 1
    assert len(delivered.get_all("X-GiftCard-Report")) == 1
    assert "brand-authenticated" not in str(delivered["X-GiftCard-Report"])


def test_trusted_authentication_makes_genuine(stack):
    postfix, _ = stack
    delivered = parse(postfix.send(messages.authenticated_amazon(), recipients=["dana@example.org"]))
    assert verdict_headers(delivered) == ["genuine"]
    assert "brand-authenticated" in str(delivered["X-GiftCard-Report"])


def test_untrusted_authentication_results_are_ignored(stack):
    postfix, _ = stack
    forged = "mx.attacker.example; dkim=pass header.d=amazon.com; dmarc=pass header.from=amazon.com"
    delivered = parse(postfix.send(messages.amazon_personal([("Authentication-Results", forged)])))
    # Not believed: no pass, so no `genuine`. With nothing to lure the reader and no verifier's failure,
    # the missing pass is said in the reasons, not in the verdict.
    assert verdict_headers(delivered) == ["none"]
    assert "brand-not-authenticated" in str(delivered["X-GiftCard-Report"])
    assert "brand-authenticated" not in str(delivered["X-GiftCard-Report"]).replace("brand-not-authenticated", "")


def test_arabic_spoof_with_arabic_indic_phone(stack):
    postfix, _ = stack
    delivered = parse(postfix.send(messages.arabic_spoof()))
    assert verdict_headers(delivered) == ["suspicious"]
    report = str(delivered["X-GiftCard-Report"])
    assert "lang=ar" in report and "callback-phone" in report and "lookalike-domain" in report


def test_italian_spoof_quoted_printable(stack):
    postfix, _ = stack
    delivered = parse(postfix.send(messages.italian_spoof()))
    assert verdict_headers(delivered) == ["suspicious"]
    assert "lang=it" in str(delivered["X-GiftCard-Report"])


def test_log_line_carries_postfix_queue_id(stack):
    postfix, milter = stack
    postfix.send(messages.ordinary())
    queue_ids = set(re.findall(r"postfix/cleanup\[\d+\]: ([0-9A-F]+): message-id=", postfix.maillog_text()))
    logged = set(re.findall(r"^([0-9A-F]+): verdict=", milter.log_text(), re.M))
    assert queue_ids, "Postfix logged no queue ids"
    assert queue_ids <= logged


def test_identical_confirmations_flip_to_erroneous_at_the_threshold(stack):
    postfix, milter = stack
    verdicts = []
    for index in range(BULK + 2):
        recipient = f"bulk{index}@example.org"
        delivered = parse(postfix.send(messages.bulk_confirmation(recipient), recipients=[recipient]))
        verdicts.append(delivered["X-GiftCard-Verdict"])
        if index >= BULK - 1:
            assert "bulk-identical" in str(delivered["X-GiftCard-Report"])
    assert verdicts == ["genuine"] * (BULK - 1) + ["erroneous"] * 3
    assert os.path.exists(os.path.join(milter.base, "state", "state.sqlite"))


def test_declared_incident_is_picked_up_without_restart(stack):
    postfix, milter = stack
    recipient = "incident@example.org"
    message = messages.authenticated_amazon()
    before = parse(postfix.send(message, recipients=[recipient]))
    assert before["X-GiftCard-Verdict"] == "genuine"
    state = os.path.join(milter.base, "state", "state.sqlite")
    added = subprocess.run([MILTER, "incident", "add", "--state", state, "--sender-domain", "amazon.com",
                            "--phrase", "eGift Card", "--explanation", "Amazon sent these confirmations in error."],
                           capture_output=True, text=True, timeout=60)
    assert added.returncode == 0, added.stderr
    listed = subprocess.run([MILTER, "incident", "list", "--state", state], capture_output=True, text=True, timeout=60)
    assert "active\tamazon.com" in listed.stdout
    time.sleep(6)  # the daemon re-reads incidents every 5 seconds
    after = parse(postfix.send(message, recipients=[recipient]))
    assert after["X-GiftCard-Verdict"] == "erroneous"
    assert "declared-incident" in str(after["X-GiftCard-Report"])
    incident_id = listed.stdout.split("\t")[0]
    assert subprocess.run([MILTER, "incident", "remove", "--state", state, incident_id], timeout=60).returncode == 0


def test_audit_log_has_one_line_per_message_matching_the_maillog(stack):
    import json
    postfix, milter = stack
    postfix.send(messages.ordinary())
    audit_path = os.path.join(milter.base, "audit.jsonl")
    records = milter.audit_records()
    queue_ids = re.findall(r"postfix/cleanup\[\d+\]: ([0-9A-F]+): message-id=", postfix.maillog_text())
    audited = [r["queue_id"] for r in records]
    assert queue_ids and all(audited.count(q) == 1 for q in queue_ids), (queue_ids, audited)
    last = next(r for r in records if r["queue_id"] == queue_ids[-1])
    assert last["verdict"] == "none" and last["recipient_count"] == 1 and last["action"] == "header"
    summary = subprocess.run([MILTER, "audit", audit_path], capture_output=True, text=True, timeout=60)
    assert summary.returncode == 0, summary.stderr
    assert f"messages: {len(records)}" in summary.stdout
    assert "erroneous mailings:\n  amazon:" in summary.stdout  # the bulk test's mailing, grouped
    as_json = json.loads(subprocess.run([MILTER, "audit", "--json", audit_path], capture_output=True, text=True,
                                        timeout=60).stdout)
    assert as_json["by_verdict"]["suspicious"] >= 1


def test_reward_lure_is_suspicious_with_its_own_banner_title(stack):
    postfix, _ = stack
    delivered = parse(postfix.send(messages.german_reward_lure()))
    assert verdict_headers(delivered) == ["suspicious"]
    report = str(delivered["X-GiftCard-Report"])
    assert "reward-lure" in report and "brand=edeka" in report and "lang=de" in report
    text = delivered.get_body(preferencelist=("plain",)).get_content()
    assert text.lstrip("\u200f").startswith("Achtung: Dieses Gewinn- oder Gutscheinangebot stammt nicht von EDEKA.")


def test_callback_renewal_is_suspicious_without_gift_card_wording(stack):
    postfix, _ = stack
    delivered = parse(postfix.send(messages.callback_renewal()))
    assert verdict_headers(delivered) == ["suspicious"]
    report = str(delivered["X-GiftCard-Report"])
    assert "callback-purchase" in report and "callback-phone" in report and "brand=norton" in report
    title = delivered.get_body(preferencelist=("plain",)).get_content().splitlines()[0]
    assert title == "Warning: Norton did not send this purchase or renewal notice."
    assert "gift" not in title.lower()
