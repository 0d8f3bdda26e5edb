"""Malformed messages still get a verdict and are delivered, and the milter keeps running."""
import pytest
from harness import parse

pytestmark = pytest.mark.root


def check_delivered(postfix, raw):
    delivered = parse(postfix.send(raw))
    assert len(delivered.get_all("X-GiftCard-Verdict") or []) == 1
    return delivered


def test_broken_mime_boundary(stack):
    postfix, _ = stack
    raw = (b"From: shop@example.net\r\nTo: alice@example.org\r\nSubject: broken\r\nMIME-Version: 1.0\r\n"
           b"Content-Type: multipart/alternative; boundary=\"never-closed\"\r\n\r\n"
           b"--never-closed\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n"
           b"!!!not base64 at all===\r\n--never-closed\r\nContent-Type: text/html; charset=x-unknown-charset\r\n\r\n"
           b"<html><body><p>unterminated")
    check_delivered(postfix, raw)


def test_eight_bit_header_bytes(stack):
    postfix, _ = stack
    raw = (b"From: \xc7\xe3\xc7\xd2\xe6\xe4 <x@example.net>\r\nTo: alice@example.org\r\n"
           b"Subject: \xff\xfe gift card \xe9\r\n\r\nhello\r\n")
    check_delivered(postfix, raw)


def test_no_body(stack):
    postfix, _ = stack
    check_delivered(postfix, b"From: a@example.net\r\nTo: alice@example.org\r\nSubject: empty\r\n\r\n")


def test_no_headers_worth_the_name(stack):
    postfix, _ = stack
    delivered = check_delivered(postfix, b"this line has no colon and starts the body\r\n\r\nmore\r\n")
    assert delivered["X-GiftCard-Verdict"] == "none"


def test_milter_survived(stack):
    _, milter = stack
    assert milter.process.poll() is None


def test_limit_reached_is_logged_with_queue_id(stack):
    postfix, milter = stack
    raw = b"From: a@example.net\r\nTo: alice@example.org\r\nSubject: deep\r\nMIME-Version: 1.0\r\n"
    raw += b"Content-Type: multipart/mixed; boundary=b0\r\n\r\n"
    # 60 levels: past the milter's 32, within Postfix's own mime_nesting_limit (100), which Postfix
    # enforces once header_checks makes it read MIME structure.
    for level in range(60):
        raw += b"--b%d\r\nContent-Type: multipart/mixed; boundary=b%d\r\n\r\n" % (level, level + 1)
    raw += b"--b60\r\nContent-Type: text/plain\r\n\r\ninnermost\r\n"
    check_delivered(postfix, raw)
    import re
    queue_ids = re.findall(r"^([0-9A-F]+): limits reached: mime-depth", milter.log_text(), re.M)
    assert queue_ids, milter.log_text()[-2000:]
    assert queue_ids[-1] in postfix.maillog_text()


def test_fifty_megabyte_message_with_bounded_memory(stack):
    postfix, milter = stack
    line = b"A" * 76 + b"\r\n"
    body = line * (50 * 1024 * 1024 // len(line))
    raw = (b"From: a@example.net\r\nTo: alice@example.org\r\nSubject: huge\r\nMIME-Version: 1.0\r\n"
           b"Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n") + body
    delivered = postfix.send(raw, timeout=120)
    assert parse(delivered)["X-GiftCard-Verdict"] == "none"
    assert len(delivered) > 50_000_000, "the whole message was delivered"
    with open(f"/proc/{milter.process.pid}/status") as f:
        peak_kb = int(next(l for l in f if l.startswith("VmHWM:")).split()[1])
    # The milter keeps at most MaximumBodyBytes (2 MiB) of a body: far below the message's 50 MB.
    assert peak_kb < 150 * 1024, f"milter peak resident memory {peak_kb} kB"


def test_lure_past_the_body_limit_is_read_and_the_cut_reported(stack):
    """Defect 4: a lure after 2.1 MB of padding was never read (`none`, score 0). The end of a text part
    is read too now, and the report says a limit cut what lay between."""
    postfix, _ = stack
    padding = (b"x" * 998 + b"\r\n") * 2200
    raw = (b"From: \"EDEKA-Gutschein\" <info@kundenvorteil-aktion.example>\r\nTo: alice@example.org\r\n"
           b"Subject: Newsletter\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
           + padding + "Sie wurden ausgewählt: Ihr 1.000 € EDEKA-Gutschein wartet. https://bit.ly/x\r\n".encode())
    delivered = check_delivered(postfix, raw)
    report = str(delivered["X-GiftCard-Report"])
    assert "limit-reached" in report and "reward-lure" in report, report
    assert delivered["X-GiftCard-Verdict"] == "suspicious"


def test_lure_behind_a_large_attachment_is_read(stack):
    """Text after a 3 MB attachment is read in full: only the attachment's content is left unread."""
    postfix, _ = stack
    attachment = (b"QUFB" * 19 + b"\r\n") * 40000
    raw = (b"From: \"EDEKA-Gutschein\" <info@kundenvorteil-aktion.example>\r\nTo: alice@example.org\r\n"
           b"Subject: Ihr Gutschein\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=m\r\n\r\n"
           b"--m\r\nContent-Type: application/pdf; name=flyer.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n" + attachment
           + "--m\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSie wurden ausgewählt: Ihr 1.000 € EDEKA-Gutschein wartet. "
             "Jetzt einlösen: https://bit.ly/x\r\n--m--\r\n".encode())
    delivered = check_delivered(postfix, raw)
    assert delivered["X-GiftCard-Verdict"] == "suspicious", str(delivered["X-GiftCard-Report"])
    assert "reward-lure" in str(delivered["X-GiftCard-Report"])


def test_lure_in_mime_part_past_the_parts_limit_is_reported(stack):
    postfix, _ = stack
    raw = (b"From: \"Kundenumfrage\" <info@survey-panel.example>\r\nTo: alice@example.org\r\nSubject: Umfrage\r\n"
           b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=p\r\n\r\n")
    for index in range(300):
        raw += b"--p\r\nContent-Type: text/plain\r\n\r\npart %d\r\n" % index
    raw += "--p\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSie wurden ausgewählt: Ihr 1.000 € Lidl-Gutschein wartet. Jetzt einlösen: https://bit.ly/x\r\n--p--\r\n".encode()
    delivered = check_delivered(postfix, raw)
    # Past the parts limit text is still read (attachments there are not listed), and the cut is noted.
    report = str(delivered["X-GiftCard-Report"])
    assert "limit-reached" in report and "reward-lure" in report, report
    assert delivered["X-GiftCard-Verdict"] == "suspicious"
