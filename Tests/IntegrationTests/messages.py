"""Messages the integration tests send, built with Python's email package."""
import base64
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from harness import sign


def message(subject, body, from_header, to="alice@example.org", extra_headers=(), html=None, charset="utf-8", cte=None):
    msg = EmailMessage()
    msg["From"] = from_header
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain="test.example")
    for name, value in extra_headers:
        msg[name] = value
    msg.set_content(body, charset=charset, cte=cte)
    if html is not None:
        msg.add_alternative(html, subtype="html", charset=charset)
    return msg.as_bytes()


def spoofed_amazon_callback():
    return message(
        "Your Amazon.com order of Google Play gift cards",
        "Dear Amazon customer,\n"
        "Thank you for purchasing Google Play gift cards from Amazon.com. Order total: $500.00.\n"
        "If you did not make this purchase, call us immediately at +1 (888) 555-0134 to cancel.\n",
        '"Amazon.com" <orders@amazon-giftcards-support.com>')


def ordinary():
    return (b"From: Carol <carol@example.net>\r\nTo: alice@example.org\r\nSubject: lunch tomorrow?\r\n"
            b"Message-ID: <lunch-1@example.net>\r\nDate: Sat, 28 Nov 2026 10:00:00 +0000\r\n\r\n"
            b"Shall we have lunch tomorrow at noon?\r\nThere is a new place near the station.\r\n\r\n-- \r\nCarol\r\n")


def amazon_personal(extra_headers=()):
    return message(
        "Your Amazon.com order #112-4455667-8899001",
        "Hello Dana Rossi,\nThank you for your order. You purchased one Amazon.com eGift Card of $25.00 "
        "for Luca.\nOrder number: 112-4455667-8899001\n",
        '"Amazon.com" <auto-confirm@amazon.com>',
        to="dana@example.org", extra_headers=extra_headers)


def authenticated_amazon():
    """A personal confirmation Amazon's servers signed: OpenDKIM ahead of giftcard-milter verifies it."""
    return sign(amazon_personal())


def arabic_spoof():
    body = ("عزيزي عميل أمازون،\n"
            "شكرًا لك على شراء بطاقات هدايا Google Play من Amazon.com.\n"
            "إذا لم تقم بهذه العملية، اتصل بنا فورًا على ٠٥٥ ١٢٣ ٤٥٦٧ ٨٩ لإلغاء الطلب.\n")
    return message("تأكيد طلبك: بطاقات هدايا", body, "=?UTF-8?B?" + base64.b64encode("أمازون".encode()).decode()
                   + "?= <service@amaz0n-sa.com>", cte="base64")


def italian_spoof():
    body = ("Gentile cliente Amazon,\n"
            "grazie per l'acquisto di carte regalo Mastercard su Amazon.it. Numero d'ordine 405-1234567-7654321.\n"
            "Se non hai effettuato questo acquisto, chiama subito il numero 800 123 456 7 per annullare.\n")
    return message("Conferma dell'ordine: carte regalo", body, '"Amazon.it" <ordini@amazon-it-rimborsi.com>',
                   cte="quoted-printable")


def bulk_confirmation(recipient, amount="$50.00"):
    """One copy of a mass mailing, signed by Amazon: the same wording to everyone, with a per-copy date stamp.
    Another amount makes another mailing (another fingerprint)."""
    return sign(message(
        "Your Amazon.com gift card order",
        f"Hello {recipient.split('@')[0]},\nThank you for purchasing a Google Play gift card of {amount} "
        "from Amazon.com.\nSent 28/11/2026 10:00.\n",
        '"Amazon.com" <auto-confirm@amazon.com>',
        to=recipient))


def seed_incident(to="alice@example.org"):
    """The incident that started the project: Amazon's signed mail, generic, for cards nobody bought."""
    return sign(message(
        "Your Amazon.com order", "Dear Amazon customer,\nThank you for purchasing Google Play gift cards from Amazon.com.\n",
        '"Amazon.com" <auto-confirm@amazon.com>', to=to))


def german_reward_lure():
    """A brand's voucher as bait from someone else, with a link to a URL shortener."""
    return message(
        "Herzlichen Glückwunsch: Ihr EDEKA-Gutschein",
        "Hallo alice@example.org,\n"
        "Sie wurden ausgewählt! Ihr 1.000 € EDEKA-Gutschein wartet auf Sie. Nehmen Sie an unserer kurzen Umfrage teil "
        "und lösen Sie Ihren Gewinn ein, bevor er heute abläuft: https://bit.ly/3edk4x\n",
        '"EDEKA Gewinnspiel" <info@kundenvorteil-aktion.example>', cte="quoted-printable")


def callback_renewal():
    """A software renewal nobody ordered, in the name of a brand, with a number to call."""
    return message(
        "Your Norton 360 renewal receipt",
        "Your Norton 360 subscription has been renewed for another year.\n"
        "Amount charged: $399.99. Invoice number: INV-884122.\n"
        "If you did not authorize this charge, call our billing team at +1 (808) 312-4567 to cancel.\n",
        '"Norton Billing" <billing@secure-invoices.example>')
