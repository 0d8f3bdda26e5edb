#!/usr/bin/env python3
"""Writes the labeled detection corpus: Corpus/<category>/<NNN>-<lang>.eml, expected verdict by category.

Every message is composed here from per-language phrase tables (no copied mail), with varied brands,
senders, names, amounts, encodings and HTML, so a rule has to read meaning to pass, not one template.
Run from this directory; the output is committed so the tests need no Python.
"""
import base64
import os
import random
import shutil
from email.message import EmailMessage
from email.utils import formatdate

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "Corpus")  # Tests/CorpusTests/Corpus
TRUSTED = "mx.example.org"
rng = random.Random(20261128)

LANGS = ["en", "ar", "it", "es", "fr", "de", "pt"]

P = {  # phrase tables; {brand} {card} {name} {amount} {order} {phone}
    "generic": {
        "en": "Dear {brand} customer,", "ar": "عزيزي عميل {brand}،", "it": "Gentile cliente {brand},",
        "es": "Estimado cliente de {brand}:", "fr": "Cher client {brand},", "de": "Sehr geehrte Kundin, sehr geehrter Kunde,",
        "pt": "Prezado cliente {brand},"},
    "personal": {
        "en": "Hello {name},", "ar": "مرحبا {name}،", "it": "Ciao {name},", "es": "Hola {name}:",
        "fr": "Bonjour {name},", "de": "Hallo {name},", "pt": "Olá {name},"},
    "thanks": {
        "en": "Thank you for purchasing {card} gift cards from {brand}.",
        "ar": "شكرًا لك على شراء بطاقات هدايا {card} من {brand}.",
        "it": "Grazie per l'acquisto di carte regalo {card} su {brand}.",
        "es": "Gracias por tu compra de tarjetas regalo {card} en {brand}.",
        "fr": "Merci pour votre achat de cartes cadeaux {card} sur {brand}.",
        "de": "Vielen Dank für Ihre Bestellung von {card} Geschenkkarten bei {brand}.",
        "pt": "Obrigado pela sua compra de cartões-presente {card} na {brand}."},
    "order": {
        "en": "Order number: {order}. Order total: {amount}.",
        "ar": "رقم الطلب: {order}. المبلغ الإجمالي: {amount}.",
        "it": "Numero d'ordine: {order}. Totale: {amount}.",
        "es": "Número de pedido: {order}. Total: {amount}.",
        "fr": "Numéro de commande : {order}. Total : {amount}.",
        "de": "Bestellnummer: {order}. Gesamtbetrag: {amount}.",
        "pt": "Número do pedido: {order}. Total: {amount}."},
    "warning": {
        "en": "There are a variety of scams where fraudsters try to trick others into paying with gift cards.",
        "ar": "هناك مجموعة متنوعة من عمليات الاحتيال التي يحاول المحتالون من خلالها خداع الآخرين للدفع باستخدام بطاقات هدايا.",
        "it": "Esistono diverse truffe in cui i truffatori cercano di indurre gli altri a pagare con carte regalo.",
        "es": "Existen varias estafas en las que los estafadores intentan que otros paguen con tarjetas regalo.",
        "fr": "Il existe de nombreuses arnaques où des fraudeurs poussent d'autres personnes à payer avec des cartes cadeaux.",
        "de": "Es gibt viele Betrugsmaschen, bei denen Betrüger andere dazu bringen, mit Geschenkkarten zu bezahlen.",
        "pt": "Existem vários golpes em que fraudadores tentam levar outras pessoas a pagar com cartões-presente."},
    "callback": {
        "en": "If you did not make this purchase, call us immediately at {phone} to cancel.",
        "ar": "إذا لم تقم بهذه العملية، اتصل بنا فورًا على {phone} لإلغاء الطلب.",
        "it": "Se non hai effettuato questo acquisto, chiama subito il numero {phone} per annullare.",
        "es": "Si no realizaste esta compra, llame de inmediato al {phone} para cancelar.",
        "fr": "Si vous n'avez pas effectué cet achat, appelez immédiatement le {phone} pour annuler.",
        "de": "Falls Sie diese Bestellung nicht getätigt haben, rufen Sie sofort {phone} an, um zu stornieren.",
        "pt": "Se você não fez esta compra, ligue imediatamente para {phone} para cancelar."},
    "newsletter": {
        "en": "Give the perfect present this season: {brand} gift cards in any amount, delivered by email in minutes.",
        "ar": "قدّم الهدية المثالية هذا الموسم: بطاقات هدايا {brand} بأي قيمة تصل بالبريد الإلكتروني خلال دقائق.",
        "it": "Fai il regalo perfetto: carte regalo {brand} di qualsiasi importo, consegnate via email in pochi minuti.",
        "es": "Haz el regalo perfecto: tarjetas regalo de {brand} por cualquier importe, entregadas por correo en minutos.",
        "fr": "Offrez le cadeau idéal : des cartes cadeaux {brand} de tout montant, livrées par e-mail en quelques minutes.",
        "de": "Das perfekte Geschenk: {brand} Geschenkkarten in jeder Höhe, in wenigen Minuten per E-Mail zugestellt.",
        "pt": "Dê o presente perfeito: cartões-presente {brand} de qualquer valor, entregues por e-mail em minutos."},
    "friend": {
        "en": "Hi {name}, happy birthday! I put a {card} gift card in your card, hope you find something nice. Love, Sam",
        "ar": "مرحبا {name}، عيد ميلاد سعيد! وضعت لك بطاقة هدية {card} داخل البطاقة، أتمنى أن تعجبك. مع حبي، سامي",
        "it": "Ciao {name}, buon compleanno! Ti ho messo una carta regalo {card} nel biglietto, spero ti piaccia. Un abbraccio, Sara",
        "es": "Hola {name}, ¡feliz cumpleaños! Te dejé una tarjeta regalo de {card} en la tarjeta, espero que te guste. Besos, Sara",
        "fr": "Salut {name}, joyeux anniversaire ! J'ai glissé une carte cadeau {card} dans ta carte, j'espère qu'elle te plaira. Bises, Sarah",
        "de": "Hallo {name}, alles Gute zum Geburtstag! Ich habe dir eine {card} Geschenkkarte in die Karte gelegt. Liebe Grüße, Sara",
        "pt": "Oi {name}, feliz aniversário! Coloquei um cartão-presente {card} no seu cartão, espero que goste. Beijos, Sara"},
    "awareness": {
        "en": "Security reminder from IT: scammers send fake messages like \"Thank you for your purchase of gift cards, if you did not make this purchase call us\". Never call numbers in such mails and never pay with gift cards. Report them to the helpdesk at {phone}.",
        "ar": "تذكير أمني من قسم تقنية المعلومات: يرسل المحتالون رسائل مزيفة مثل \"شكرًا لك على شراء بطاقات هدايا، إذا لم تقم بهذه العملية اتصل بنا\". لا تتصل أبدًا بالأرقام الواردة فيها ولا تدفع ببطاقات الهدايا. أبلغ الدعم الفني على {phone}.",
        "it": "Promemoria di sicurezza dall'IT: i truffatori inviano messaggi falsi come \"Grazie per l'acquisto di carte regalo, se non hai effettuato l'acquisto chiama\". Non chiamare mai quei numeri e non pagare mai con carte regalo. Segnalali all'helpdesk al {phone}.",
        "es": "Recordatorio de seguridad de TI: los estafadores envían mensajes falsos como \"Gracias por tu compra de tarjetas regalo, si no realizaste esta compra llame\". Nunca llames a esos números ni pagues con tarjetas regalo. Repórtalos al soporte en el {phone}.",
        "fr": "Rappel de sécurité de l'informatique : des escrocs envoient de faux messages comme « Merci pour votre achat de cartes cadeaux, si vous n'avez pas effectué cet achat appelez ». N'appelez jamais ces numéros et ne payez jamais en cartes cadeaux. Signalez-les au support au {phone}.",
        "de": "Sicherheitshinweis der IT: Betrüger verschicken gefälschte Nachrichten wie \"Vielen Dank für Ihre Bestellung von Geschenkkarten, rufen Sie uns an\". Rufen Sie solche Nummern nie an und bezahlen Sie nie mit Geschenkkarten. Melden Sie sie dem Helpdesk unter {phone}.",
        "pt": "Lembrete de segurança da TI: golpistas enviam mensagens falsas como \"Obrigado pela sua compra de cartões-presente, se você não fez esta compra ligue\". Nunca ligue para esses números nem pague com cartões-presente. Denuncie ao suporte pelo {phone}."},
    "bec": {
        "en": "Are you at your desk? I need you to buy {n} {card} gift cards of {amount} each for a client today. Scratch the backs and send me photos of the codes. I am in a meeting, reply by email only.",
        "ar": "هل أنت في مكتبك؟ أحتاج منك شراء {n} بطاقات هدايا {card} بقيمة {amount} لكل منها لعميل اليوم. اكشط الخلف وأرسل لي صور الرموز. أنا في اجتماع، رد بالبريد فقط.",
        "it": "Sei in ufficio? Ho bisogno che tu compri {n} carte regalo {card} da {amount} ciascuna per un cliente oggi. Gratta il retro e mandami le foto dei codici. Sono in riunione, rispondi solo via email.",
        "es": "¿Estás en tu puesto? Necesito que compres {n} tarjetas regalo de {card} de {amount} cada una para un cliente hoy. Raspa el reverso y envíame fotos de los códigos. Estoy en una reunión, responde solo por correo.",
        "fr": "Es-tu à ton bureau ? J'ai besoin que tu achètes {n} cartes cadeaux {card} de {amount} chacune pour un client aujourd'hui. Gratte le dos et envoie-moi les photos des codes. Je suis en réunion, réponds par e-mail.",
        "de": "Bist du am Platz? Ich brauche, dass du heute {n} {card} Geschenkkarten zu je {amount} für einen Kunden kaufst. Rubbel die Rückseite frei und schick mir Fotos der Codes. Ich bin im Meeting, antworte nur per E-Mail.",
        "pt": "Você está na sua mesa? Preciso que compre {n} cartões-presente {card} de {amount} cada para um cliente hoje. Raspe o verso e me envie fotos dos códigos. Estou em reunião, responda só por e-mail."},
    "ordinary": {
        "en": "Hi {name}, the meeting moved to Thursday at 3 pm. Could you bring the slides? Thanks, Sam",
        "ar": "مرحبا {name}، تم نقل الاجتماع إلى يوم الخميس الساعة الثالثة. هل يمكنك إحضار العرض؟ شكرا، سامي",
        "it": "Ciao {name}, la riunione è spostata a giovedì alle 15. Puoi portare le slide? Grazie, Sara",
        "es": "Hola {name}, la reunión se movió al jueves a las 15. ¿Puedes traer las diapositivas? Gracias, Sara",
        "fr": "Bonjour {name}, la réunion est déplacée à jeudi 15 h. Peux-tu apporter les diapos ? Merci, Sarah",
        "de": "Hallo {name}, das Meeting ist auf Donnerstag 15 Uhr verschoben. Bringst du die Folien mit? Danke, Sara",
        "pt": "Olá {name}, a reunião foi para quinta às 15h. Pode trazer os slides? Obrigado, Sara"},
}

SUBJECT = {
    "en": "Your {brand} order", "ar": "طلبك من {brand}", "it": "Il tuo ordine {brand}", "es": "Tu pedido de {brand}",
    "fr": "Votre commande {brand}", "de": "Ihre {brand} Bestellung", "pt": "Seu pedido {brand}"}
NAMES = {"en": ["Dana Rossi", "Tom Baker"], "ar": ["سارة", "أحمد"], "it": ["Giulia", "Marco"], "es": ["Diego", "Lucía"],
         "fr": ["Emma", "Louis"], "de": ["Fritz", "Anna"], "pt": ["João", "Ana"]}
PHONES = {"en": "+1 (888) 555-0134", "ar": "٠٥٥ ١٢٣ ٤٥٦٧ ٨٩", "it": "+39 02 1234 5678", "es": "+34 911 234 567",
          "fr": "+33 1 23 45 67 89", "de": "+49 30 1234 5678", "pt": "+55 11 91234-5678"}
AMOUNTS = {"en": "$500.00", "ar": "500 ريال", "it": "500,00 €", "es": "500,00 €", "fr": "500,00 €", "de": "500,00 €", "pt": "R$ 500,00"}
BRANDS = [("Amazon", "amazon.com", "Google Play"), ("Amazon.it", "amazon.it", "Mastercard"), ("Apple", "apple.com", "App Store"),
          ("Steam", "steampowered.com", "Steam"), ("eBay", "ebay.com", "eBay"), ("Best Buy", "bestbuy.com", "Best Buy"),
          ("Walmart", "walmart.com", "Walmart"), ("Netflix", "netflix.com", "Netflix")]
LOOKALIKES = {"amazon.com": ["amaz0n-orders.com", "amazon-giftcards.support", "arnazon.com", "xn--mazon-3ve.com"],
              "apple.com": ["apple-id-billing.com", "appIe.com", "app1e-support.net"],
              "steampowered.com": ["steampowerd.com", "steam-giftcard.net"],
              "ebay.com": ["ebay-orders.net", "e-bay-billing.com"], "bestbuy.com": ["bestbuy-orders.com", "bestbuuy.com"],
              "walmart.com": ["walmart-giftcard.com", "wa1mart.com"], "netflix.com": ["netflix-billing.info", "netfIix.com"],
              "amazon.it": ["amazon-it-rimborsi.com", "amaz0n.it"]}


def aligned(domain):
    return ("Authentication-Results", f"{TRUSTED}; dkim=pass header.d={domain}; spf=pass smtp.mailfrom={domain}; dmarc=pass header.from={domain}")


def build(subject, body, from_header, to="reader@example.org", headers=(), html=False, cte=None):
    msg = EmailMessage()
    msg["From"] = from_header
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = formatdate(1800000000 + rng.randint(0, 86400), localtime=False)
    msg["Message-ID"] = f"<{rng.getrandbits(64):x}@corpus.example>"
    for name, value in headers:
        msg[name] = value
    if html:
        paragraphs = "".join(f"<p>{line}</p>" for line in body.split("\n") if line)
        msg.set_content(body, cte=cte)
        msg.add_alternative(f"<html><body>{paragraphs}</body></html>", subtype="html", cte=cte)
    else:
        msg.set_content(body, cte=cte)
    return msg.as_bytes()


def fill(text, **kw):
    return text.format(**kw)


def order_id():
    return f"{rng.randint(100,999)}-{rng.randint(1000000,9999999)}-{rng.randint(1000000,9999999)}"


def write(category, lang, data):
    directory = os.path.join(HERE, category)
    os.makedirs(directory, exist_ok=True)
    index = len(os.listdir(directory)) + 1
    with open(os.path.join(directory, f"{index:03d}-{lang}.eml"), "wb") as f:
        f.write(data)


def main():
    shutil.rmtree(HERE, ignore_errors=True)
    for lang in LANGS:
        for variant, (bname, bdomain, card) in enumerate(rng.sample(BRANDS, 3)):
            kw = dict(brand=bname, card=card, name=NAMES[lang][variant % 2], amount=AMOUNTS[lang], order=order_id(),
                      phone=PHONES[lang], n=rng.randint(3, 8))
            subject = fill(SUBJECT[lang], **kw)
            html = variant == 1
            cte = ["base64", "quoted-printable", "8bit"][variant]

            # Scams: display name of the brand, foreign domain, callback lure.
            body = "\n".join([fill(P["generic"][lang], **kw), fill(P["thanks"][lang], **kw), fill(P["order"][lang], **kw),
                              fill(P["callback"][lang], **kw)])
            write("scam-spoofed-display-name", lang,
                  build(subject, body, f'"{bname}" <no-reply@{rng.choice(["mailer-notify.com", "secure-billing.net", "ordersupport.org"])}>', html=html, cte=cte))
            # Scams: look-alike sender domains.
            fake = rng.choice(LOOKALIKES[bdomain])
            write("scam-lookalike-domain", lang,
                  build(subject, body, f'"{bname} Orders" <orders@{fake}>', html=not html, cte=cte))
            # Scams: the brand's own domain in From, no trusted authentication (untrusted AR, or none).
            forged_ar = [("Authentication-Results", f"mx.attacker.example; dkim=pass header.d={bdomain}")] if variant == 0 else []
            write("scam-brand-domain-unauthenticated", lang,
                  build(subject, body, f'"{bname}" <auto-confirm@{bdomain}>', headers=forged_ar, cte=cte))
            # Scams: no brand in the sender, just a callback lure about a gift-card purchase.
            lure = "\n".join([fill(P["thanks"][lang], **kw).replace(bname, "our store"), fill(P["order"][lang], **kw),
                              fill(P["callback"][lang], **kw)])
            write("scam-callback-unknown-sender", lang,
                  build(fill(SUBJECT[lang], brand="Gift Center"), lure, f'"Billing Center" <billing@{rng.choice(["invoice-center.net", "paydesk.biz"])}>', cte=cte))
            # Scams: an authenticated but unrelated (compromised) domain presenting itself as the brand,
            # with a link that shows the brand's site and leads elsewhere, replies to a free mailbox.
            compromised = rng.choice(["smallbakery.example", "dentist-office.example", "school-news.example"])
            linked = body + f"\n<a href=\"https://{compromised}/wp/secure/\">www.{bdomain}</a>"
            msg = build(subject, linked.replace("<a", "").replace("</a>", ""), f'"{bname} Support" <info@{compromised}>',
                        headers=[aligned(compromised), ("Reply-To", f"{bname.lower().replace(' ', '')}.support@gmail.com")])
            html_msg = build(subject, body, f'"{bname} Support" <info@{compromised}>',
                             headers=[aligned(compromised), ("Reply-To", f"{bname.lower().replace(' ', '')}.support@gmail.com")],
                             html=True)
            html_msg = html_msg.replace(b"</body>", f'<p><a href="https://{compromised}/wp/secure/">www.{bdomain}</a></p></body>'.encode(), 1) if cte == "8bit" else html_msg
            write("scam-compromised-sender", lang, msg if variant != 1 else html_msg)
            # BEC: a "boss" asking for gift cards.
            bec = fill(P["bec"][lang], **kw)
            write("scam-bec-request", lang,
                  build(rng.choice(["Urgent", "Quick favour", "Are you available?"]), bec,
                        f'"Maria Keller CEO" <maria.keller.ceo{variant}@gmail.com>', cte=cte))

            # The seed incident: the brand's authenticated mail, generic, no order details, three cards each.
            for card_name in ["Google Play", "Mastercard", "Hotels.com"]:
                seed = "\n".join([fill(P["generic"][lang], **dict(kw, brand="Amazon")),
                                  fill(P["thanks"][lang], **dict(kw, brand="Amazon.com", card=card_name)),
                                  fill(P["warning"][lang], **kw)])
                write("incident-erroneous", lang,
                      build(fill(SUBJECT[lang], brand="Amazon.com"), seed, '"Amazon.com" <auto-confirm@amazon.com>',
                            to=f"customer{variant}@example.org", headers=[aligned("amazon.com")], html=html, cte=cte))

            # Genuine personal confirmations, including one buyer with three orders in ten minutes.
            for _ in range(2 if variant else 3):
                kw2 = dict(kw, order=order_id())
                personal = "\n".join([fill(P["personal"][lang], **kw2), fill(P["thanks"][lang], **kw2), fill(P["order"][lang], **kw2)])
                write("genuine-personal", lang,
                      build(subject, personal, f'"{bname}" <auto-confirm@{bdomain}>', to=f"{lang}.buyer@example.org",
                            headers=[aligned(bdomain)], html=html, cte=cte))

            # Not confirmations: newsletters, personal mail, security awareness, ordinary mail.
            write("newsletter", lang, build(fill(P["newsletter"][lang], **kw)[:60], fill(P["newsletter"][lang], **kw),
                                            f'"{bname}" <news@{bdomain}>', headers=[aligned(bdomain)], html=True, cte=cte))
            write("personal-mail", lang, build("🎂", fill(P["friend"][lang], **kw), '"Sam" <sam.friend@gmail.com>', cte=cte))
            write("security-awareness", lang,
                  build(rng.choice(["Security reminder", "IT notice"]), fill(P["awareness"][lang], **kw),
                        '"IT Security" <security@corp.example.org>', headers=[aligned("corp.example.org")], cte=cte))
            write("ordinary", lang, build("Meeting", fill(P["ordinary"][lang], **kw), '"Sam" <sam@corp.example.org>',
                                          headers=[aligned("corp.example.org")], cte=cte))
    total = sum(len(files) for _, _, files in os.walk(HERE))
    print(f"{total} messages written to {HERE}")


if __name__ == "__main__":
    main()
