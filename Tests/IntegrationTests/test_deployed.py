"""Detection as deployed, through real Postfix with real OpenDKIM in front: every signed message arrives with
a trusted dkim=pass for its signer, scammers' Gmail included. A pass proves which domain sent a message,
never that it is honest (issue 21)."""
import pytest

from harness import parse, sign
import messages

pytestmark = pytest.mark.root


def results(delivered):
    return [" ".join(v.split()) for k, v in delivered.items() if k.lower() == "authentication-results"]


def test_a_gmail_signed_callback_invoice_is_suspicious(stack):
    """Gmail signs every message its users send: OpenDKIM passes it, and the scam stays a scam."""
    postfix, _ = stack
    invoice = messages.message(
        "Order Confirmation #882913",
        "Hello, your PayPal payment of $489.99 for Norton 360 Deluxe annual renewal has been processed.\n"
        "Invoice #INV-55821.\nIf you did not authorize this transaction, call our billing department at "
        "+1 (888) 555-0192 within 24 hours.\n",
        '"Billing Team" <billing.team7781@gmail.com>')
    delivered = parse(postfix.send(sign(invoice, domain="gmail.com")))
    assert any("dkim=pass" in r and "gmail.com" in r for r in results(delivered)), results(delivered)
    assert delivered["X-GiftCard-Verdict"] == "suspicious", delivered["X-GiftCard-Report"]
    assert "callback-purchase" in str(delivered["X-GiftCard-Report"])


@pytest.mark.parametrize("signer, subject, body, sender, recipient, reason", [
    ("amazon.com", "Gift cards for everyone on your list",
     "Shop Amazon gift cards: delivered instantly by email, from $25. Give the gift of choice this holiday.\n"
     "https://www.amazon.com/giftcards\n", '"Amazon.com" <store-news@amazon.com>', "alice@example.org", None),
    ("bigshop.example", "Your order 5561-221 has shipped",
     "Hi Dana, your order 5561-221 has shipped: Apple AirPods Pro (2nd gen), $249.00.\n"
     "Track it: https://www.bigshop.example/track/5561\nIf you did not place this order, call us at 1-800-555-0100.\n",
     '"Bigshop" <orders@bigshop.example>', "dana@example.org", None),
    ("mybank.example", "Beware of gift card scams",
     "Dear customer,\nScammers send fake gift card confirmations like this one: 'Thank you for purchasing 5 Google "
     "Play gift cards, order total $500.00. If you did not make this purchase, call +1 (888) 555-0134 to cancel.'\n"
     "Never call numbers in such emails and never pay with gift cards. Report it to us instead.\n"
     "Read more: https://www.mybank.example/security\n", '"My Bank" <news@mybank.example>', "alice@example.org", "scam-awareness"),
], ids=["brands-own-promotion", "receipt-naming-another-brands-product", "awareness-quoting-a-scam"])
def test_signed_legitimate_mail_of_a_scams_shape_is_none(stack, signer, subject, body, sender, recipient, reason):
    """A brand's own signed gift-card promotion, a shop's signed receipt naming another brand's product, and
    a bank's signed article quoting a whole scam: each passes OpenDKIM for its own domain and is `none`."""
    postfix, _ = stack
    message = messages.message(subject, body, sender, to=recipient)
    delivered = parse(postfix.send(sign(message, domain=signer), recipients=[recipient]))
    assert any("dkim=pass" in r and signer in r for r in results(delivered)), results(delivered)
    assert delivered["X-GiftCard-Verdict"] == "none", delivered["X-GiftCard-Report"]
    if reason:
        assert reason in str(delivered["X-GiftCard-Report"])

def pdf(lines):
    """A one-page PDF with lines of text (Helvetica), written by hand."""
    content = "BT /F1 12 Tf 72 720 Td " + " ".join(f"({line}) Tj 0 -16 Td" for line in lines) + " ET"
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
               f"<< /Length {len(content)} >>\nstream\n{content}\nendstream", "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = "%PDF-1.4\n", []
    for index, body in enumerate(objects):
        offsets.append(len(out))
        out += f"{index + 1} 0 obj\n{body}\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n" + "".join(f"{o:010d} 00000 n \n" for o in offsets)
    return (out + f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").encode()


def with_pdf(document, subject="Requested invoice BGYSCLRRBHJ"):
    from email.message import EmailMessage
    msg = EmailMessage()
    msg["From"] = '"Manuel Nelson" <manuel.nelson.bills@gmail.com>'
    msg["To"] = "alice@example.org"
    msg["Subject"] = subject
    msg["Message-ID"] = "<pdf-%d@gmail.com>" % len(document)
    msg.set_content("Requested invoice confirmed by paid customer.\n")
    msg.add_attachment(document, maintype="application", subtype="pdf", filename="invoice.pdf")
    return msg.as_bytes()


def test_a_callback_invoice_whose_phone_is_only_in_its_pdf_is_suspicious(stack):
    """The body says nothing; the renewal, the amount and the number to call are in the PDF, read by the
    giftcard-pdftext helper in a process of its own."""
    postfix, milter = stack
    document = pdf(["Your Norton 360 Deluxe subscription has been renewed.", "Invoice NP-5521, amount charged: $499.99",
                    "If you did not authorize this charge, call +1 (828) 423-1316 to cancel."])
    delivered = parse(postfix.send(sign(with_pdf(document), domain="gmail.com")))
    assert delivered["X-GiftCard-Verdict"] == "suspicious", delivered["X-GiftCard-Report"]
    assert "callback-phone" in str(delivered["X-GiftCard-Report"])


def test_a_malformed_pdf_costs_only_its_own_text(stack):
    """A PDF poppler cannot read (cut short, garbage): the message is judged on the rest and delivered."""
    postfix, milter = stack
    for document in (pdf(["Norton renewal $499.99"])[:120], b"%PDF-1.7\n" + bytes(range(256)) * 40):
        delivered = parse(postfix.send(sign(with_pdf(document, subject="Invoice"), domain="gmail.com")))
        assert delivered["X-GiftCard-Verdict"] == "none", delivered["X-GiftCard-Report"]
    assert milter.process.poll() is None
