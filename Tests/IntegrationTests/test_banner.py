"""The banner through a real Postfix: placed at the top of both the plain and the HTML part in the
message's language, every part still decodes without defects, the original text follows intact, a
re-injected message keeps exactly one banner, and signed mail gets headers only."""
import pytest
import email.policy
import json
import os
import re
import subprocess
import time
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from harness import MILTER, body_of, parse, sign

pytestmark = pytest.mark.root

ITALIAN_PLAIN = ("Gentile cliente Amazon,\n"
                 "grazie per l'acquisto di carte regalo Google Play su Amazon.it, totale 150,00 €.\n"
                 "Se non hai effettuato questo acquisto, chiama subito il numero 800 123 456 7.\n")
ITALIAN_HTML = ("<!DOCTYPE html><html><head><title>Ordine</title></head>\n"
                "<body class=\"mail\" style=\"margin:0\"><p>Gentile cliente Amazon,</p>"
                "<p>grazie per l'acquisto di carte regalo Google Play su Amazon.it, totale 150,00 €.</p>"
                "<p>Se non hai effettuato questo acquisto, chiama subito il numero 800 123 456 7.</p></body></html>\n")


def new_message(sender, to, subject, message_id=None, domain="test.example"):
    """An EmailMessage with the headers every test message here carries."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = formatdate()
    msg["Message-ID"] = message_id or make_msgid(domain=domain)
    return msg


def italian_alternative(message_id=None):
    msg = new_message('"Amazon.it" <ordini@amazon-it-rimborsi.com>', "alice@example.org", "Conferma dell'ordine: carte regalo",
                      message_id)
    msg.set_content(ITALIAN_PLAIN, charset="utf-8", cte="quoted-printable")
    msg.add_alternative(ITALIAN_HTML, subtype="html", charset="utf-8", cte="base64")
    return msg.as_bytes()


def parts_of(message):
    return {part.get_content_type(): part for part in message.walk() if not part.is_multipart()}


def no_defects(message):
    return all(not part.defects for part in message.walk())


def banner_count(message):
    text = "".join(part.get_content() for part in message.walk() if part.get_content_maintype() == "text")
    return len(re.findall(r"giftcard-milter ref [0-9a-f]{16}", text)), len(re.findall(r"data-giftcard-banner=\"[0-9a-f]{16}\"", text))


def test_scam_gets_the_banner_in_both_parts_in_its_language(stack):
    postfix, milter = stack
    delivered = parse(postfix.send(italian_alternative()))
    assert delivered["X-GiftCard-Verdict"] == "suspicious"
    assert no_defects(delivered), [part.defects for part in delivered.walk()]
    parts = parts_of(delivered)
    plain, html = parts["text/plain"], parts["text/html"]
    # Each part kept its own charset and transfer encoding.
    assert plain["Content-Transfer-Encoding"] == "quoted-printable" and plain.get_content_charset() == "utf-8"
    assert html["Content-Transfer-Encoding"] == "base64" and html.get_content_charset() == "utf-8"
    text = plain.get_content()
    assert text.startswith("Attenzione: questo messaggio sulla carta regalo non proviene da Amazon.")
    assert "telefonare a un numero" in text  # names the reason: the call-back lure
    assert text.endswith(ITALIAN_PLAIN)  # the original follows, intact
    markup = html.get_content()
    head, body_tag, rest = markup.partition('<body class="mail" style="margin:0">')
    assert body_tag and head == ITALIAN_HTML.split("<body")[0]
    assert rest.startswith("<div data-giftcard-banner=")
    assert 'lang="it"' in rest.split(">")[0]
    assert rest.split("</div>", 1)[1] == ITALIAN_HTML.split('style="margin:0">', 1)[1]
    # No phone number or link in the banner itself.
    banner_text = re.sub(r"giftcard-milter ref [0-9a-f]{16}", "", text.split("----------------------------------------")[0])
    assert not re.search(r"\d{3}", banner_text) and "http" not in banner_text
    assert "banner=placed" in milter.log_text()


def test_reinjected_message_keeps_exactly_one_banner(stack):
    postfix, _ = stack
    first = postfix.send(italian_alternative())
    assert banner_count(parse(first)) == (1, 1)
    again = parse(postfix.send(first))
    assert again["X-GiftCard-Verdict"] == "suspicious"
    assert banner_count(again) == (1, 1)
    assert no_defects(again)


def test_a_replayed_banner_reference_does_not_hide_the_banner(stack):
    """Defect 3: an attacker mails himself a scam, reads the banner's ref, then sends the victim another
    scam with the same Message-ID and the ref (or the whole banner) in it; the reader must see a banner."""
    postfix, milter = stack
    log_start = len(milter.log_text())
    message_id = make_msgid(domain="attacker.example")
    own = parse(postfix.send(italian_alternative(message_id)))
    plain = parts_of(own)["text/plain"].get_content()
    reference = re.search(r"giftcard-milter ref ([0-9a-f]{16})", plain).group(1)
    whole_banner = plain.split("Gentile cliente")[0]
    other_plain = "Ordine confermato: 5 carte regalo Google Play da 100 €.\nPer annullare chiama il numero 800 123 456 8.\n"
    variants = [
        (other_plain + f"giftcard-milter ref {reference}\n",
         f"<html><body><!-- data-giftcard-banner=\"{reference}\" --><p>{other_plain}</p></body></html>\n"),
        (whole_banner + other_plain, f"<html><body><div data-giftcard-banner=\"{reference}\">x</div><p>{other_plain}</p></body></html>\n"),
    ]
    for plain_text, html_text in variants:
        msg = new_message('"Amazon.it" <ordini@amazon-it-rimborsi.com>', "victim@example.org", "Conferma dell'ordine: carte regalo",
                          message_id)
        msg.set_content(plain_text, charset="utf-8", cte="quoted-printable")
        msg.add_alternative(html_text, subtype="html", charset="utf-8")
        delivered = parse(postfix.send(msg.as_bytes(), recipients=("victim@example.org",)))
        assert delivered["X-GiftCard-Verdict"] == "suspicious"
        parts = parts_of(delivered)
        assert parts["text/plain"].get_content().startswith("Attenzione:"), parts["text/plain"].get_content()[:200]
        assert re.search(r"<body>\s*<div data-giftcard-banner=\"[0-9a-f]{16}\" lang=\"it\"", parts["text/html"].get_content())
    log = milter.log_text()[log_start:]
    assert "banner=already-present" not in log and log.count("banner=placed") == 3


def test_forged_banner_does_not_suppress_the_real_one(stack):
    postfix, _ = stack
    forged = italian_alternative().replace(b"Gentile cliente", b"giftcard-milter ref 0123456789abcdef\nGentile cliente", 1)
    delivered = parse(postfix.send(forged))
    plain = parts_of(delivered)["text/plain"].get_content()
    assert plain.startswith("Attenzione:")
    assert len(re.findall(r"giftcard-milter ref [0-9a-f]{16}", plain)) == 2


def test_arabic_single_part_keeps_its_charset_and_reads_right_to_left(stack):
    postfix, _ = stack
    body = ("عزيزي عميل أمازون،\nشكرًا لك على شراء بطاقات هدايا Google Play من Amazon.com.\n"
            "إذا لم تقم بهذه العملية، اتصل بنا فورًا على 055 123 4567 لإلغاء الطلب.\n")
    raw = (b"From: =?UTF-8?B?2KPZhdin2LLZiNmG?= <service@amaz0n-sa.com>\r\nTo: alice@example.org\r\n"
           b"Subject: =?UTF-8?B?2KrYo9mD2YrYryDYt9mE2KjZgw==?=\r\nMessage-ID: <ar-1@test.example>\r\n"
           b"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=windows-1256\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
           + body.replace("\n", "\r\n").encode("cp1256"))
    delivered_bytes = postfix.send(raw)
    delivered = parse(delivered_bytes)
    assert delivered["X-GiftCard-Verdict"] == "suspicious"
    assert delivered.get_content_charset() == "windows-1256"
    text = delivered.get_content()
    assert text.startswith("\u200fتنبيه: لم ترسل أمازون رسالة بطاقة الهدايا هذه.")
    assert text.replace("\r\n", "\n").endswith(body)
    assert no_defects(delivered)


def test_charset_that_cannot_carry_the_banner_switches_the_part_to_utf8(stack):
    postfix, _ = stack
    raw = (b"From: \"Amazon.fr\" <commandes@amazon-fr-remboursement.com>\r\nTo: alice@example.org\r\n"
           b"Subject: Votre commande de cartes cadeaux\r\nMessage-ID: <fr-1@test.example>\r\n"
           b"Content-Type: text/plain; charset=us-ascii\r\n\r\n"
           b"Cher client Amazon,\r\nMerci pour votre achat de cartes cadeaux Google Play sur Amazon.fr.\r\n"
           b"Si vous n'etes pas a l'origine de cet achat, appelez le 01 23 45 67 89 pour annuler.\r\n")
    delivered = parse(postfix.send(raw))
    assert delivered["X-GiftCard-Verdict"] == "suspicious"
    assert delivered.get_content_charset() == "utf-8"
    assert delivered["Content-Transfer-Encoding"] == "quoted-printable"
    assert delivered["MIME-Version"] == "1.0"
    text = delivered.get_content()
    assert text.startswith("Attention : ce message de carte cadeau ne vient pas de Amazon.")
    assert text.replace("\r\n", "\n").endswith("Cher client Amazon,\nMerci pour votre achat de cartes cadeaux Google Play sur Amazon.fr.\n"
                                               "Si vous n'etes pas a l'origine de cet achat, appelez le 01 23 45 67 89 pour annuler.\n")
    assert no_defects(delivered)


def test_erroneous_confirmation_gets_the_calm_banner(stack):
    postfix, _ = stack
    msg = new_message('"Amazon.com" <auto-confirm@amazon.com>', "bob@example.org", "Your Amazon.com order", domain="amazon.com")
    msg.set_content("Dear Amazon customer,\nThank you for purchasing Mastercard gift cards from Amazon.com.\n")
    # CRLF line ends: smtplib sends bytes as they are, and a bare-LF message gains a blank last line.
    delivered = parse(postfix.send(sign(msg.as_bytes(policy=email.policy.SMTP)), recipients=("bob@example.org",)))
    assert delivered["X-GiftCard-Verdict"] == "erroneous"
    text = delivered.get_content()
    assert text.startswith("Sent in error: you most likely did not buy this Amazon gift card.")
    assert "No action is needed." in text
    assert text.endswith("Dear Amazon customer,\nThank you for purchasing Mastercard gift cards from Amazon.com.\n")


def test_signed_message_gets_headers_only_and_the_log_says_why(stack):
    postfix, milter = stack
    signed_part = ("Content-Type: text/plain; charset=utf-8\r\n\r\n"
                   "Dear Amazon customer,\r\nThank you for purchasing Google Play gift cards from Amazon.com.\r\n"
                   "If you did not make this purchase, call us at +1 (888) 555-0134 to cancel.\r\n")
    raw = ("From: \"Amazon.com\" <orders@amazon-giftcards-support.com>\r\nTo: alice@example.org\r\n"
           "Subject: Your Amazon.com order of Google Play gift cards\r\nMessage-ID: <signed-1@test.example>\r\n"
           "MIME-Version: 1.0\r\nContent-Type: multipart/signed; protocol=\"application/pgp-signature\"; "
           "micalg=pgp-sha256; boundary=\"sig\"\r\n\r\n--sig\r\n" + signed_part +
           "--sig\r\nContent-Type: application/pgp-signature\r\n\r\n-----BEGIN PGP SIGNATURE-----\r\nAAAA\r\n"
           "-----END PGP SIGNATURE-----\r\n--sig--\r\n").encode()
    delivered = postfix.send(raw)
    assert parse(delivered)["X-GiftCard-Verdict"] == "suspicious"
    assert body_of(delivered) == body_of(raw.replace(b"\r\n", b"\n"))
    line = [l for l in milter.log_text().splitlines() if "signed-1" in l or "banner=signed" in l]
    assert any("banner=signed" in l for l in line), milter.log_text()[-2000:]


def test_clean_message_body_is_byte_identical_with_banners_on(stack):
    postfix, _ = stack
    raw = (b"From: Carol <carol@example.net>\r\nTo: alice@example.org\r\nSubject: photos\r\n"
           b"Message-ID: <photos-1@example.net>\r\nMIME-Version: 1.0\r\n"
           b"Content-Type: multipart/alternative; boundary=\"x\"\r\n\r\n--x\r\nContent-Type: text/plain; charset=iso-8859-1\r\n"
           b"Content-Transfer-Encoding: quoted-printable\r\n\r\nCaf=E9 at noon?=\r\n\r\n--x\r\nContent-Type: text/html\r\n\r\n"
           b"<p>Caf&eacute; at noon?</p>\r\n--x--\r\n")
    delivered = postfix.send(raw)
    assert parse(delivered)["X-GiftCard-Verdict"] == "none"
    assert body_of(delivered) == body_of(raw.replace(b"\r\n", b"\n"))


def test_audit_records_whether_the_banner_was_placed(stack):
    postfix, milter = stack
    postfix.send(italian_alternative(message_id="<audit-banner@test.example>"))
    deadline = time.time() + 10
    record = None
    while time.time() < deadline and record is None:
        record = next((r for r in milter.audit_records() if r.get("message_id") == "audit-banner@test.example"), None)
        time.sleep(0.1)
    assert record is not None
    assert record["banner"] == "placed" and record["action"] == "banner"


def header_blocks(message_bytes):
    """A message's header fields, each with its folded lines, and its body."""
    head, _, body = message_bytes.partition(b"\n\n")
    fields = []
    for line in head.split(b"\n"):
        if line[:1] in (b" ", b"\t") and fields:
            fields[-1] += b"\n" + line
        else:
            fields.append(line)
    return fields, body


def test_check_banner_writes_the_bytes_the_daemon_delivers(stack, tmp_path):
    """A 5 MB scam with a base64 attachment: past MaximumBodyBytes (inspected sparsely), within
    MaximumBannerBytes (bannered whole). `check --banner` drives the daemon's session, planner and
    executor, so its preview is the message Postfix delivers, byte for byte: headers, banner and the
    attachment's content."""
    postfix, milter = stack
    msg = new_message('"Amazon.com" <orders@amazon-giftcards-support.com>', "alice@example.org",
                      "Your Amazon.com order of Google Play gift cards")
    msg.set_content("Thank you for purchasing Google Play gift cards from Amazon.com. Order total: $500.00.\n"
                    "If you did not make this purchase, call us immediately at +1 (888) 555-0134 to cancel.\n")
    msg.add_attachment(os.urandom(3_800_000), maintype="application", subtype="pdf", filename="invoice.pdf")
    original = msg.as_bytes(policy=email.policy.SMTP)  # CRLF, as Postfix hands it to the milter
    assert 5_000_000 < len(original) < 6_000_000

    fields, delivered_body = header_blocks(postfix.send(original))
    # smtp-sink's own trace is not part of what Postfix delivered.
    delivered_fields = [f for f in fields if not (f.startswith(b"Received: ") and b"by smtp-sink" in f)]
    assert delivered_fields[0] == b"X-GiftCard-Verdict: suspicious"
    assert "banner=placed" in milter.log_text().splitlines()[-1]
    delivered = b"\n".join(delivered_fields) + b"\n\n" + delivered_body
    # check gets the message as delivered under our headers (Postfix's own Received, which milters are
    # not shown, and OpenDKIM's Authentication-Results) with the body as sent; ours are the ones on top.
    seen = [f for f in delivered_fields if not f.lower().startswith(b"x-giftcard-")]
    assert len(seen) == len(delivered_fields) - 3
    source = tmp_path / "scam.eml"
    source.write_bytes((b"\n".join(seen) + b"\n\n" + header_blocks(original.replace(b"\r\n", b"\n"))[1]).replace(b"\n", b"\r\n"))
    out = tmp_path / "preview"
    result = subprocess.run([MILTER, "check", "--config", milter.config, "--from", "sender@example.net",
                             "--rcpt", "alice@example.org", "--banner", str(out), str(source)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    preview = (out / "scam.eml").read_bytes().replace(b"\r\n", b"\n")
    assert len(preview) > len(original) - 200_000, "the attachment's content is in the preview"
    assert preview.split(b"\n\n", 1)[0] == delivered.split(b"\n\n", 1)[0]
    assert preview == delivered
