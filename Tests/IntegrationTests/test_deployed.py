"""Detection as deployed, through real Postfix with real OpenDKIM in front: every signed message arrives with
a trusted dkim=pass for its signer, scammers' Gmail included. A pass proves which domain sent a message,
never that it is honest (issue 21)."""
from harness import parse, sign
import messages


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


def test_a_brands_own_authenticated_gift_card_promotion_is_none(stack):
    postfix, _ = stack
    promo = messages.message(
        "Gift cards for everyone on your list",
        "Shop Amazon gift cards: delivered instantly by email, from $25. Give the gift of choice this holiday.\n"
        "https://www.amazon.com/giftcards\n",
        '"Amazon.com" <store-news@amazon.com>')
    delivered = parse(postfix.send(sign(promo, domain="amazon.com")))
    assert delivered["X-GiftCard-Verdict"] == "none", delivered["X-GiftCard-Report"]


def test_a_real_receipt_naming_another_brands_product_is_none(stack):
    postfix, _ = stack
    receipt = messages.message(
        "Your order 5561-221 has shipped",
        "Hi Dana, your order 5561-221 has shipped: Apple AirPods Pro (2nd gen), $249.00.\n"
        "Track it: https://www.bigshop.example/track/5561\nIf you did not place this order, call us at 1-800-555-0100.\n",
        '"Bigshop" <orders@bigshop.example>', to="dana@example.org")
    delivered = parse(postfix.send(sign(receipt, domain="bigshop.example"), recipients=["dana@example.org"]))
    assert any("dkim=pass" in r and "bigshop.example" in r for r in results(delivered))
    assert delivered["X-GiftCard-Verdict"] == "none", delivered["X-GiftCard-Report"]


def test_an_awareness_mail_quoting_a_scam_is_none(stack):
    postfix, _ = stack
    article = messages.message(
        "Beware of gift card scams",
        "Dear customer,\nScammers send fake gift card confirmations like this one: 'Thank you for purchasing 5 Google "
        "Play gift cards, order total $500.00. If you did not make this purchase, call +1 (888) 555-0134 to cancel.'\n"
        "Never call numbers in such emails and never pay with gift cards. Report it to us instead.\n"
        "Read more: https://www.mybank.example/security\n",
        '"My Bank" <news@mybank.example>')
    delivered = parse(postfix.send(sign(article, domain="mybank.example")))
    assert delivered["X-GiftCard-Verdict"] == "none", delivered["X-GiftCard-Report"]
    assert "scam-awareness" in str(delivered["X-GiftCard-Report"])
