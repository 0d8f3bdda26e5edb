"""Authentication-Results through real Postfix: only this host's are believed.

Postfix runs OpenDKIM (verifying with a test key) and then giftcard-milter, with the shipped header_checks
rule. A sender's own Authentication-Results claiming this host's authserv-id must never make a scam pass as
the brand's authenticated mail: Postfix removes them, and where it does not, the milter refuses what it can
tell is forged.
"""
import pytest

from harness import TRUSTED, milter_and_postfix, parse, sign
import messages

pytestmark = pytest.mark.root

FORGED = f"{TRUSTED}; dkim=pass header.d=amazon.com header.s=sel1; dmarc=pass header.from=amazon.com"


def seed_with(extra_headers=()):
    """The seed incident's wording from Amazon's address, unsigned: what a scammer sends on purpose."""
    return messages.message(
        "Your Amazon.com order", "Dear Amazon customer,\nThank you for purchasing Google Play gift cards from Amazon.com.\n",
        '"Amazon.com" <auto-confirm@amazon.com>', extra_headers=extra_headers)


def on_top(header_value, message_bytes):
    """The forged header as the message's first line, where this host's own verifier puts its results."""
    return f"Authentication-Results: {header_value}\r\n".encode() + message_bytes


@pytest.fixture(scope="module")
def bare():
    """Postfix without OpenDKIM and without the header_checks rule: only the milter stands guard."""
    with milter_and_postfix(f"TrustedAuthservIDs {TRUSTED}\nStateDirectory {{base}}/state\n", prefix="gcm-trust-",
                            authenticate=False) as (_, postfix):
        yield postfix


def authentication_results(delivered):
    return [v for k, v in delivered.items() if k.lower() == "authentication-results"]


def test_a_forged_pass_on_top_is_removed_by_header_checks(stack):
    """Defect 1: with the sender's own trusted-id pass, this used to be `erroneous` with the calm banner.
    Removed, the pass is gone: no `genuine` or `erroneous`; the message asks nothing of the reader, so the
    missing pass is said in the reasons."""
    postfix, _ = stack
    delivered = parse(postfix.send(on_top(FORGED, seed_with())))
    assert delivered["X-GiftCard-Verdict"] == "none"
    assert "brand-not-authenticated" in str(delivered["X-GiftCard-Report"])
    # Only OpenDKIM's own result is left, and it found no signature.
    results = authentication_results(delivered)
    assert len(results) == 1 and "dkim=none" in results[0].replace("\n", " ")


def test_a_forged_pass_beside_a_real_failure_is_removed(stack):
    """Defect 1: a broken signature (OpenDKIM: dkim=fail) plus the sender's pass; the failure stands."""
    postfix, _ = stack
    signed = sign(messages.amazon_personal())
    tampered = signed.replace(b"Thank you for your order", b"Thank you for your ORDER")
    delivered = parse(postfix.send(on_top(FORGED, tampered), recipients=["dana@example.org"]))
    assert delivered["X-GiftCard-Verdict"] == "suspicious"
    assert any("dkim=fail" in v for v in authentication_results(delivered))


def test_without_header_checks_a_pass_below_the_messages_own_headers_is_refused(bare):
    """The milter on its own: a trusted-id pass under the message's Received trail or its fields is not
    this host's, and is named in the reasons."""
    received = ("Received: from mail.attacker.example (mail.attacker.example [192.0.2.7])\r\n"
                "\tby relay.attacker.example with ESMTP; Thu, 3 Dec 2026 10:00:00 +0000\r\n").encode()
    for message in (received + on_top(FORGED, seed_with()), seed_with([("Authentication-Results", FORGED)])):
        delivered = parse(bare.send(message))
        assert delivered["X-GiftCard-Verdict"] == "suspicious"
        reasons = str(delivered["X-GiftCard-Report"])
        assert "brand-not-authenticated" in reasons and "forged-authentication" in reasons


def test_without_header_checks_a_pass_on_top_needs_the_signature_it_claims(bare):
    """A dkim=pass for a domain no DKIM-Signature names is no verifier's."""
    delivered = parse(bare.send(on_top(f"{TRUSTED}; dkim=pass header.d=amazon.com", seed_with())))
    assert delivered["X-GiftCard-Verdict"] == "suspicious"
    assert "forged-authentication" in str(delivered["X-GiftCard-Report"])


def test_a_warning_sentence_does_not_launder_a_callback_scam(stack):
    """Defect 2: a callback scam from a domain its sender controls and signs, plus one sentence of scam
    advice, used to be `none` (security-notice); only the organisation's own mail can be a notice."""
    postfix, _ = stack
    scam = messages.message(
        "Your order of Google Play gift cards",
        "Thank you for purchasing 5 Google Play gift cards, order total $500.00.\n"
        "If you did not make this purchase, call +1 (888) 555-0134 to cancel.\n"
        "Stay safe: scammers send fake messages. Never pay anyone with gift cards.\n",
        '"Gift Card Desk" <billing@giftcard-desk.example>')
    delivered = parse(postfix.send(sign(scam, domain="giftcard-desk.example")))
    assert any("dkim=pass" in v and "giftcard-desk.example" in v for v in authentication_results(delivered))
    assert delivered["X-GiftCard-Verdict"] == "suspicious"
    assert "security-notice" not in str(delivered["X-GiftCard-Report"])


@pytest.mark.parametrize("value", [f"{TRUSTED}; dmarc=pass header.from=amazon.com",
                                   f"{TRUSTED}(c); dmarc=pass header.from=amazon.com",
                                   f"=?us-ascii?q?{TRUSTED}?=; dmarc=pass header.from=amazon.com"],
                         ids=["lone-dmarc-pass", "comment-attached", "encoded-word"])
def test_without_header_checks_a_dmarc_pass_with_nothing_behind_it_is_refused(bare, value):
    """The milter on its own: a DMARC pass on top with neither an aligned DKIM-Signature nor an aligned
    envelope sender cannot be a verifier's, and an id written other than plainly is never believed."""
    delivered = parse(bare.send(on_top(value, seed_with())))
    assert delivered["X-GiftCard-Verdict"] == "suspicious"
    assert "forged-authentication" in str(delivered["X-GiftCard-Report"])


def test_without_header_checks_a_dmarc_pass_for_the_envelope_senders_domain_is_believed(bare):
    """The SPF path: an aligned envelope sender is what DMARC can pass on without a signature."""
    delivered = parse(bare.send(on_top(f"{TRUSTED}; dmarc=pass header.from=amazon.com",
                                       messages.amazon_personal()),
                                sender="bounces@amazon.com", recipients=["dana@example.org"]))
    assert delivered["X-GiftCard-Verdict"] == "genuine", delivered["X-GiftCard-Report"]
