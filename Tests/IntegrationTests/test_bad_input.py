"""Malformed messages still get a verdict and are delivered, and the milter keeps running."""
from harness import parse


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
