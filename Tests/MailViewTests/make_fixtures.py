#!/usr/bin/env python3
"""Writes the message-view fixtures: one .eml per trick set and a .json with what the view must show.

Run from this directory to regenerate; the files are committed, so the tests do not need Python.
Every fixture is written byte by byte here, so each encoding trick is exactly what a sender would send.
"""
import base64
import json
import os
import quopri

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "Fixtures")


def b64(data):
    return base64.encodebytes(data).decode("ascii")


def qp(data):
    return quopri.encodestring(data).decode("ascii")


def ew(text, charset="utf-8", enc="B"):
    data = text.encode(charset)
    if enc == "B":
        return f"=?{charset}?B?{base64.b64encode(data).decode()}?="
    return f"=?{charset}?Q?{quopri.encodestring(data, header=True).decode()}?="


def write(name, eml, expect):
    with open(os.path.join(HERE, name + ".eml"), "wb") as f:
        f.write(eml.encode("ascii") if isinstance(eml, str) else eml)
    with open(os.path.join(HERE, name + ".json"), "w", encoding="utf-8") as f:
        json.dump(expect, f, ensure_ascii=False, indent=2, sort_keys=True)
        f.write("\n")


def headers(**h):
    return "".join(f"{k.replace('_', '-')}: {v}\r\n" for k, v in h.items())


# 1. English: base64 body, encoded-word subject, zero-width inside "gift card", Cyrillic А in Amazon.
body = ("Dear customer,\r\nThank you for your purchase of a Google Play gi\u200bft c\u200dard from "
        "\u0410mazon.\r\nIf you did not make this purchase call +1 (888) 555-0134.\r\n").encode()
write("en-base64-zero-width-cyrillic",
      headers(From='"Amazon" <orders@amazon-orders.example>', To="alice@example.org",
              Subject=ew("Your gift card order \u2014 thank you"), MIME_Version="1.0",
              Content_Type="text/plain; charset=utf-8", Content_Transfer_Encoding="base64") + "\r\n" + b64(body),
      {"language": "en", "subject": "Your gift card order \u2014 thank you", "from_name": "Amazon",
       "from_domain": "amazon-orders.example",
       "text_contains": ["gi\u200bft c\u200dard", "\u0410mazon"],
       "normalized_contains": ["google play gift card from amazon.", "your gift card order"],
       "phones_e164": ["+18885550134"], "obfuscations": ["invisible-characters", "mixed-script"]})

# 2. Arabic: windows-1256 in base64, encoded-word subject in windows-1256 (which has no Arabic-Indic
#    digits; those come in 2b).
ar = ("عزيزي عميل أمازون،\r\nشكرًا لك على شراء بطاقات هدايا Google Play من Amazon.com.\r\n"
      "إذا لم تقم بهذه العملية اتصل على 055 123 4567 فورًا.\r\n")
write("ar-windows1256-base64",
      headers(From=ew("أمازون", "windows-1256") + " <service@amazon-sa.example.sa>", To="bob@example.org",
              Subject=ew("تأكيد طلبك: بطاقات هدايا", "windows-1256", "Q"), MIME_Version="1.0",
              Content_Type="text/plain; charset=windows-1256", Content_Transfer_Encoding="base64")
      + "\r\n" + b64(ar.encode("cp1256")),
      {"language": "ar", "subject": "تأكيد طلبك: بطاقات هدايا", "from_name": "أمازون",
       "text_contains": ["عزيزي عميل أمازون", "شكرًا لك على شراء"],
       "normalized_contains": ["عزيزي عميل امازون", "شكرا لك علي شراء بطاقات هدايا google play", "اتصل علي 055 123 4567"],
       "phones_digits": ["0551234567"], "phones_e164": ["+966551234567"]})

# 2b. Arabic in HTML: Arabic-Indic digits in small print, tatweel and tashkeel inside words.
ar_html = ("<html dir=\"rtl\"><body><p>شكرًا لشرائك بطـــاقة هَدَايَا من متجرنا.</p>"
           "<p style=\"font-size:2px\">للإلغاء اتصل على ٠٥٥ ١٢٣ ٤٥٦٧</p></body></html>")
write("ar-html-arabic-indic-digits-tatweel",
      headers(From="=?utf-8?B?" + base64.b64encode("متجر الهدايا".encode()).decode() + "?= <shop@hadaya.example.ae>",
              To="sara@example.ae", Subject=ew("إيصال الشراء"), MIME_Version="1.0",
              Content_Type="text/html; charset=utf-8", Content_Transfer_Encoding="base64")
      + "\r\n" + b64(ar_html.encode()),
      {"language": "ar", "subject": "إيصال الشراء", "from_name": "متجر الهدايا",
       "text_contains": ["للإلغاء اتصل على ٠٥٥ ١٢٣ ٤٥٦٧"],
       "normalized_contains": ["شكرا لشرايك بطاقه هدايا", "للالغاء اتصل علي 055 123 4567"],
       "phones_digits": ["0551234567"], "phones_e164": ["+971551234567"]})

# 3. Italian: quoted-printable ISO-8859-1, Q-encoded subject, seed incident wording.
it = ("Gentile cliente Amazon,\r\ngrazie per l\u2019acquisto di carte regalo Google Play, Mastercard e Hotels.com. "
      "Il tuo ordine \u00e8 confermato.\r\nSe non hai effettuato l'acquisto chiama lo 02 1234 5678.\r\n")
write("it-quoted-printable-latin1",
      headers(From="Amazon.it <conferma@amazon.it>", To="carla@example.it",
              Subject=ew("Conferma dell'ordine: è pronta", "iso-8859-1", "Q"), MIME_Version="1.0",
              Content_Type="text/plain; charset=windows-1252", Content_Transfer_Encoding="quoted-printable")
      + "\r\n" + qp(it.encode("cp1252")),
      {"language": "it", "subject": "Conferma dell'ordine: è pronta", "from_domain": "amazon.it",
       "text_contains": ["grazie per l\u2019acquisto di carte regalo", "Il tuo ordine \u00e8 confermato."],
       "normalized_contains": ["grazie per l'acquisto di carte regalo google play", "il tuo ordine e confermato"],
       "phones_e164": ["+390212345678"],
       "domains": [{"name": "amazon.it", "ascii": "amazon.it", "unicode": "amazon.it", "registrable": "amazon.it"}]})

# 4. Spanish: HTML only, entities, words split by tags, hidden decoy text, link showing another host.
es_html = ("<html><head><style>.x{color:red}</style></head><body>"
           "<p>&iexcl;Gracias por tu compra!</p><p>Tu tar<b>jeta</b> de re<span>galo</span>&nbsp;de "
           "<i>Amazon</i> por 100&nbsp;&euro; est&aacute; lista.</p>"
           "<div style=\"display:none\">newsletter unsubscribe random words</div>"
           "<p>Ver pedido: <a href=\"http://amaz0n-es.example/login?id=1\">www.amazon.es</a></p></body></html>")
write("es-html-entities-split-words-hidden",
      headers(From="Amazon.es <pedidos@amazon.es>", To="diego@example.es", Subject="Tu pedido",
              MIME_Version="1.0", Content_Type="text/html; charset=utf-8",
              Content_Transfer_Encoding="quoted-printable") + "\r\n" + qp(es_html.encode()),
      {"language": "es",
       "text_contains": ["¡Gracias por tu compra!", "Tu tarjeta de regalo\u00a0de Amazon por 100\u00a0€ está lista."],
       "text_excludes": ["newsletter unsubscribe", "color:red"],
       "normalized_contains": ["tu tarjeta de regalo de amazon por 100 € esta lista"],
       "links": [{"host": "amaz0n-es.example", "shown_host": "www.amazon.es"}],
       "obfuscations": ["hidden-html"]})

# 5. French: image-only HTML with a small-print phone number; RFC 2231 file name; .fr sender.
fr_html = ("<html><body><img src=\"cid:banner@x\" alt=\"Carte cadeau\">"
           "<p style=\"font-size:1px;color:#ffffff\">Merci pour votre achat. Appelez le 01 23 45 67 89</p>"
           "</body></html>")
png = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
fr = (headers(From="Boutique <ventes@boutique-cadeaux.fr>", To="emma@example.fr",
              Subject=ew("Votre carte cadeau est prête", "utf-8", "Q"), MIME_Version="1.0",
              Content_Type='multipart/related; boundary="rel"') + "\r\n"
      "--rel\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
      ).encode() + fr_html.encode() + (
      "\r\n--rel\r\nContent-Type: image/png\r\nContent-ID: <banner@x>\r\nContent-Transfer-Encoding: base64\r\n"
      "Content-Disposition: attachment; filename*=UTF-8''carte%20cadeau%20%C3%A9t%C3%A9.png\r\n\r\n"
      + b64(png) + "--rel--\r\n").encode()
write("fr-image-only-small-print-rfc2231", fr,
      {"language": "fr", "subject": "Votre carte cadeau est prête",
       "text_contains": ["Merci pour votre achat. Appelez le 01 23 45 67 89"],
       "phones_e164": ["+33123456789"],
       "attachments": [{"type": "image/png", "filename": "carte cadeau été.png"}]})

# 6. German: multipart/alternative with QP UTF-8 text, full-width letters, HTML twin, PDF, IDN link.
de_text = "Vielen Dank für Ihre Bestellung!\r\nIhr ＧＵＴＳＣＨＥＩＮ über 50 € ist unterwegs.\r\nBestellnummer 4711-0815.\r\n"
de_html = "<p>Vielen Dank f&uuml;r Ihre Bestellung!</p><p><a href=\"https://xn--bcher-kva.example/konto\">bücher.example</a></p>"
de = (headers(From=ew("Bücher Shop") + " <info@xn--bcher-kva.example>", To="fritz@example.de",
              Subject=ew("Ihre Bestellbestätigung", "utf-8", "B"), MIME_Version="1.0",
              Content_Type='multipart/mixed; boundary="mix"') + "\r\n"
      "--mix\r\nContent-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n"
      "--alt\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
      + qp(de_text.encode()) + "\r\n--alt\r\nContent-Type: text/html; charset=utf-8\r\n"
      "Content-Transfer-Encoding: base64\r\n\r\n" + b64(de_html.encode()) + "--alt--\r\n"
      "--mix\r\nContent-Type: application/pdf; name=\"rechnung.pdf\"\r\nContent-Disposition: attachment; filename=\"rechnung.pdf\"\r\n"
      "Content-Transfer-Encoding: base64\r\n\r\n" + b64(b"%PDF-1.4\n%fake\n") + "--mix--\r\n")
write("de-alternative-fullwidth-idn", de,
      {"language": "de", "subject": "Ihre Bestellbestätigung",
       "text_parts": [{"path": "1.1.1", "type": "text/plain"}, {"path": "1.1.2", "type": "text/html"}],
       "normalized_contains": ["ihr gutschein uber 50 € ist unterwegs", "vielen dank fur ihre bestellung!"],
       "attachments": [{"type": "application/pdf", "filename": "rechnung.pdf"}],
       "links": [{"host": "xn--bcher-kva.example", "shown_host": "bücher.example"}],
       "domains": [{"name": "xn--bcher-kva.example", "ascii": "xn--bcher-kva.example", "unicode": "bücher.example",
                    "registrable": "xn--bcher-kva.example"}]})

# 7. Portuguese: nested multiparts, soft hyphen and bidi controls, ISO-8859-1 B subject, Reply-To.
pt_text = "Prezado cliente,\r\nObrigado pela sua compra do car\u00adtão-pre\u200esente Netflix.\r\nNúmero do pedido: 8812.\r\n"
pt = (headers(From="Netflix <info@netflix-premios.example.com.br>", Reply_To="suporte.netflix@gmail.com",
              Return_Path="<bounce@mailer.example.net>", To="joao@example.com.br",
              Subject=ew("Confirmação da compra", "iso-8859-1", "B"), Date="Sat, 28 Nov 2026 10:00:00 -0300",
              MIME_Version="1.0", Content_Type='multipart/mixed; boundary="a"') + "\r\n"
      "--a\r\nContent-Type: multipart/related; boundary=\"b\"\r\n\r\n"
      "--b\r\nContent-Type: multipart/alternative; boundary=\"c\"\r\n\r\n"
      "--c\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
      + b64(pt_text.encode()) + "--c--\r\n--b--\r\n--a--\r\n")
write("pt-nested-soft-hyphen-bidi", pt,
      {"language": "pt", "subject": "Confirmação da compra",
       "text_parts": [{"path": "1.1.1.1", "type": "text/plain"}],
       "normalized_contains": ["obrigado pela sua compra do cartao-presente netflix"],
       "reply_to_domain": "gmail.com", "return_path": "bounce@mailer.example.net",
       "date": "Sat, 28 Nov 2026 10:00:00 -0300", "obfuscations": ["invisible-characters"],
       "domains": [{"name": "netflix-premios.example.com.br", "ascii": "netflix-premios.example.com.br",
                    "unicode": "netflix-premios.example.com.br", "registrable": "example.com.br"},
                   {"name": "gmail.com", "ascii": "gmail.com", "unicode": "gmail.com", "registrable": "gmail.com"}]})

# 8. The seed incident as the news reports quote it, in Arabic (UTF-8 QP) and Italian (HTML).
seed_ar = ("عزيزي عميل أمازون،\r\nشكرًا لك على شراء بطاقات هدايا Google Play من Amazon.com.\r\n"
           "هناك مجموعة متنوعة من عمليات الاحتيال التي يحاول المحتالون من خلالها خداع الآخرين للدفع باستخدام بطاقات هدايا من علامات تجارية معروفة.\r\n")
write("ar-seed-incident-quoted-printable",
      headers(From="Amazon.com <auto-confirm@amazon.com>", To="customer@example.org",
              Subject=ew("طلبك من Amazon.com"), MIME_Version="1.0", Content_Type="text/plain; charset=utf-8",
              Content_Transfer_Encoding="quoted-printable") + "\r\n" + qp(seed_ar.encode()),
      {"language": "ar", "subject": "طلبك من Amazon.com",
       "text_contains": ["عزيزي عميل أمازون"],
       "normalized_contains": ["بطاقات هدايا google play من amazon.com", "عمليات الاحتيال"]})

seed_it = ("<html><body><p>Gentile cliente Amazon,</p><p>Grazie per l&#39;acquisto di <b>carte regalo</b> "
           "Google Play da Amazon.com.</p><p>Esistono diverse truffe in cui i truffatori cercano di indurre "
           "gli altri a pagare con carte regalo di marchi noti.</p></body></html>")
write("it-seed-incident-html",
      headers(From="Amazon.com <auto-confirm@amazon.com>", To="cliente@example.it", Subject="Il tuo ordine Amazon.com",
              MIME_Version="1.0", Content_Type="text/html; charset=utf-8") + "\r\n" + seed_it,
      {"language": "it", "text_contains": ["Grazie per l'acquisto di carte regalo Google Play da Amazon.com."],
       "normalized_contains": ["grazie per l'acquisto di carte regalo google play da amazon.com", "truffe"]})

print("fixtures written to", HERE)
