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

LANGS = ["en", "ar", "it", "es", "fr", "de", "pt", "nl"]

P = {  # phrase tables; {brand} {card} {name} {amount} {order} {phone}
    "generic": {
        "nl": "Beste {brand}-klant,",
        "en": "Dear {brand} customer,", "ar": "عزيزي عميل {brand}،", "it": "Gentile cliente {brand},",
        "es": "Estimado cliente de {brand}:", "fr": "Cher client {brand},", "de": "Sehr geehrte Kundin, sehr geehrter Kunde,",
        "pt": "Prezado cliente {brand},"},
    "personal": {
        "nl": "Hallo {name},",
        "en": "Hello {name},", "ar": "مرحبا {name}،", "it": "Ciao {name},", "es": "Hola {name}:",
        "fr": "Bonjour {name},", "de": "Hallo {name},", "pt": "Olá {name},"},
    "thanks": {
        "nl": "Bedankt voor je aankoop van {card} cadeaukaarten bij {brand}.",
        "en": "Thank you for purchasing {card} gift cards from {brand}.",
        "ar": "شكرًا لك على شراء بطاقات هدايا {card} من {brand}.",
        "it": "Grazie per l'acquisto di carte regalo {card} su {brand}.",
        "es": "Gracias por tu compra de tarjetas regalo {card} en {brand}.",
        "fr": "Merci pour votre achat de cartes cadeaux {card} sur {brand}.",
        "de": "Vielen Dank für Ihre Bestellung von {card} Geschenkkarten bei {brand}.",
        "pt": "Obrigado pela sua compra de cartões-presente {card} na {brand}."},
    "order": {
        "nl": "Bestelnummer: {order}. Totaalbedrag: {amount}.",
        "en": "Order number: {order}. Order total: {amount}.",
        "ar": "رقم الطلب: {order}. المبلغ الإجمالي: {amount}.",
        "it": "Numero d'ordine: {order}. Totale: {amount}.",
        "es": "Número de pedido: {order}. Total: {amount}.",
        "fr": "Numéro de commande : {order}. Total : {amount}.",
        "de": "Bestellnummer: {order}. Gesamtbetrag: {amount}.",
        "pt": "Número do pedido: {order}. Total: {amount}."},
    "warning": {
        "nl": "Er bestaan veel vormen van oplichting waarbij oplichters anderen proberen over te halen om met cadeaukaarten te betalen.",
        "en": "There are a variety of scams where fraudsters try to trick others into paying with gift cards.",
        "ar": "هناك مجموعة متنوعة من عمليات الاحتيال التي يحاول المحتالون من خلالها خداع الآخرين للدفع باستخدام بطاقات هدايا.",
        "it": "Esistono diverse truffe in cui i truffatori cercano di indurre gli altri a pagare con carte regalo.",
        "es": "Existen varias estafas en las que los estafadores intentan que otros paguen con tarjetas regalo.",
        "fr": "Il existe de nombreuses arnaques où des fraudeurs poussent d'autres personnes à payer avec des cartes cadeaux.",
        "de": "Es gibt viele Betrugsmaschen, bei denen Betrüger andere dazu bringen, mit Geschenkkarten zu bezahlen.",
        "pt": "Existem vários golpes em que fraudadores tentam levar outras pessoas a pagar com cartões-presente."},
    "callback": {
        "nl": "Heeft u deze aankoop niet gedaan? Bel ons dan direct op {phone} om te annuleren.",
        "en": "If you did not make this purchase, call us immediately at {phone} to cancel.",
        "ar": "إذا لم تقم بهذه العملية، اتصل بنا فورًا على {phone} لإلغاء الطلب.",
        "it": "Se non hai effettuato questo acquisto, chiama subito il numero {phone} per annullare.",
        "es": "Si no realizaste esta compra, llame de inmediato al {phone} para cancelar.",
        "fr": "Si vous n'avez pas effectué cet achat, appelez immédiatement le {phone} pour annuler.",
        "de": "Falls Sie diese Bestellung nicht getätigt haben, rufen Sie sofort {phone} an, um zu stornieren.",
        "pt": "Se você não fez esta compra, ligue imediatamente para {phone} para cancelar."},
    "newsletter": {
        "nl": "Geef het perfecte cadeau: {brand} cadeaukaarten in elk bedrag, binnen enkele minuten per e-mail bezorgd.",
        "en": "Give the perfect present this season: {brand} gift cards in any amount, delivered by email in minutes.",
        "ar": "قدّم الهدية المثالية هذا الموسم: بطاقات هدايا {brand} بأي قيمة تصل بالبريد الإلكتروني خلال دقائق.",
        "it": "Fai il regalo perfetto: carte regalo {brand} di qualsiasi importo, consegnate via email in pochi minuti.",
        "es": "Haz el regalo perfecto: tarjetas regalo de {brand} por cualquier importe, entregadas por correo en minutos.",
        "fr": "Offrez le cadeau idéal : des cartes cadeaux {brand} de tout montant, livrées par e-mail en quelques minutes.",
        "de": "Das perfekte Geschenk: {brand} Geschenkkarten in jeder Höhe, in wenigen Minuten per E-Mail zugestellt.",
        "pt": "Dê o presente perfeito: cartões-presente {brand} de qualquer valor, entregues por e-mail em minutos."},
    "friend": {
        "nl": "Hoi {name}, gefeliciteerd met je verjaardag! Ik heb een {card} cadeaukaart in je kaart gestopt, hopelijk vind je iets leuks. Liefs, Sam",
        "en": "Hi {name}, happy birthday! I put a {card} gift card in your card, hope you find something nice. Love, Sam",
        "ar": "مرحبا {name}، عيد ميلاد سعيد! وضعت لك بطاقة هدية {card} داخل البطاقة، أتمنى أن تعجبك. مع حبي، سامي",
        "it": "Ciao {name}, buon compleanno! Ti ho messo una carta regalo {card} nel biglietto, spero ti piaccia. Un abbraccio, Sara",
        "es": "Hola {name}, ¡feliz cumpleaños! Te dejé una tarjeta regalo de {card} en la tarjeta, espero que te guste. Besos, Sara",
        "fr": "Salut {name}, joyeux anniversaire ! J'ai glissé une carte cadeau {card} dans ta carte, j'espère qu'elle te plaira. Bises, Sarah",
        "de": "Hallo {name}, alles Gute zum Geburtstag! Ich habe dir eine {card} Geschenkkarte in die Karte gelegt. Liebe Grüße, Sara",
        "pt": "Oi {name}, feliz aniversário! Coloquei um cartão-presente {card} no seu cartão, espero que goste. Beijos, Sara"},
    "awareness": {
        "nl": "Veiligheidsherinnering van IT: oplichters sturen nepberichten zoals \"Bedankt voor uw aankoop van cadeaukaarten, bel ons als u dit niet was\". Bel nooit de nummers in zulke mails en betaal nooit met cadeaukaarten. Meld het bij de helpdesk.",
        "en": "Security reminder from IT: scammers send fake messages like \"Thank you for your purchase of gift cards, if you did not make this purchase call us\". Never call numbers in such mails and never pay with gift cards. Report them to the helpdesk at {phone}.",
        "ar": "تذكير أمني من قسم تقنية المعلومات: يرسل المحتالون رسائل مزيفة مثل \"شكرًا لك على شراء بطاقات هدايا، إذا لم تقم بهذه العملية اتصل بنا\". لا تتصل أبدًا بالأرقام الواردة فيها ولا تدفع ببطاقات الهدايا. أبلغ الدعم الفني على {phone}.",
        "it": "Promemoria di sicurezza dall'IT: i truffatori inviano messaggi falsi come \"Grazie per l'acquisto di carte regalo, se non hai effettuato l'acquisto chiama\". Non chiamare mai quei numeri e non pagare mai con carte regalo. Segnalali all'helpdesk al {phone}.",
        "es": "Recordatorio de seguridad de TI: los estafadores envían mensajes falsos como \"Gracias por tu compra de tarjetas regalo, si no realizaste esta compra llame\". Nunca llames a esos números ni pagues con tarjetas regalo. Repórtalos al soporte en el {phone}.",
        "fr": "Rappel de sécurité de l'informatique : des escrocs envoient de faux messages comme « Merci pour votre achat de cartes cadeaux, si vous n'avez pas effectué cet achat appelez ». N'appelez jamais ces numéros et ne payez jamais en cartes cadeaux. Signalez-les au support au {phone}.",
        "de": "Sicherheitshinweis der IT: Betrüger verschicken gefälschte Nachrichten wie \"Vielen Dank für Ihre Bestellung von Geschenkkarten, rufen Sie uns an\". Rufen Sie solche Nummern nie an und bezahlen Sie nie mit Geschenkkarten. Melden Sie sie dem Helpdesk unter {phone}.",
        "pt": "Lembrete de segurança da TI: golpistas enviam mensagens falsas como \"Obrigado pela sua compra de cartões-presente, se você não fez esta compra ligue\". Nunca ligue para esses números nem pague com cartões-presente. Denuncie ao suporte pelo {phone}."},
    "bec": {
        "nl": "Ben je op kantoor? Ik heb je nodig om vandaag {n} {card} cadeaukaarten van {amount} per stuk te kopen voor een klant. Kras de achterkant open en stuur me foto's van de codes. Ik zit in een vergadering, antwoord alleen per mail.",
        "en": "Are you at your desk? I need you to buy {n} {card} gift cards of {amount} each for a client today. Scratch the backs and send me photos of the codes. I am in a meeting, reply by email only.",
        "ar": "هل أنت في مكتبك؟ أحتاج منك شراء {n} بطاقات هدايا {card} بقيمة {amount} لكل منها لعميل اليوم. اكشط الخلف وأرسل لي صور الرموز. أنا في اجتماع، رد بالبريد فقط.",
        "it": "Sei in ufficio? Ho bisogno che tu compri {n} carte regalo {card} da {amount} ciascuna per un cliente oggi. Gratta il retro e mandami le foto dei codici. Sono in riunione, rispondi solo via email.",
        "es": "¿Estás en tu puesto? Necesito que compres {n} tarjetas regalo de {card} de {amount} cada una para un cliente hoy. Raspa el reverso y envíame fotos de los códigos. Estoy en una reunión, responde solo por correo.",
        "fr": "Es-tu à ton bureau ? J'ai besoin que tu achètes {n} cartes cadeaux {card} de {amount} chacune pour un client aujourd'hui. Gratte le dos et envoie-moi les photos des codes. Je suis en réunion, réponds par e-mail.",
        "de": "Bist du am Platz? Ich brauche, dass du heute {n} {card} Geschenkkarten zu je {amount} für einen Kunden kaufst. Rubbel die Rückseite frei und schick mir Fotos der Codes. Ich bin im Meeting, antworte nur per E-Mail.",
        "pt": "Você está na sua mesa? Preciso que compre {n} cartões-presente {card} de {amount} cada para um cliente hoje. Raspe o verso e me envie fotos dos códigos. Estou em reunião, responda só por e-mail."},
    "ordinary": {
        "nl": "Hoi {name}, de vergadering is verplaatst naar donderdag 15 uur. Neem je de slides mee? Groet, Sam",
        "en": "Hi {name}, the meeting moved to Thursday at 3 pm. Could you bring the slides? Thanks, Sam",
        "ar": "مرحبا {name}، تم نقل الاجتماع إلى يوم الخميس الساعة الثالثة. هل يمكنك إحضار العرض؟ شكرا، سامي",
        "it": "Ciao {name}, la riunione è spostata a giovedì alle 15. Puoi portare le slide? Grazie, Sara",
        "es": "Hola {name}, la reunión se movió al jueves a las 15. ¿Puedes traer las diapositivas? Gracias, Sara",
        "fr": "Bonjour {name}, la réunion est déplacée à jeudi 15 h. Peux-tu apporter les diapos ? Merci, Sarah",
        "de": "Hallo {name}, das Meeting ist auf Donnerstag 15 Uhr verschoben. Bringst du die Folien mit? Danke, Sara",
        "pt": "Olá {name}, a reunião foi para quinta às 15h. Pode trazer os slides? Obrigado, Sara"},
}

Q = {  # the scam families of real mail and their legitimate look-alikes; {brand} {amount} {phone} {url} {invoice} {product}
    # A brand's voucher as bait, offered by someone else: chosen, take part, claim before it expires.
    "lure": {
        "en": "Congratulations! You have been selected to receive a {amount} {brand} gift card. Answer three short questions about your shopping and claim your reward before it expires tonight: {url}",
        "ar": "مبروك! تم اختيارك للحصول على بطاقة هدايا {brand} بقيمة {amount}. شارك في استطلاع قصير من ثلاثة أسئلة واستلم جائزتك قبل أن ينتهي العرض الليلة: {url}",
        "it": "Congratulazioni! Sei stato selezionato per ricevere un buono regalo {brand} da {amount}. Partecipa al nostro breve sondaggio e riscatta il tuo premio prima che scada stasera: {url}",
        "es": "¡Enhorabuena! Ha sido seleccionado para recibir una tarjeta regalo de {brand} de {amount}. Responda a nuestra breve encuesta y reclame su premio antes de que expire esta noche: {url}",
        "fr": "Félicitations ! Vous avez été sélectionné pour recevoir une carte cadeau {brand} de {amount}. Répondez à notre courte enquête et récupérez votre récompense avant qu'elle n'expire ce soir : {url}",
        "de": "Herzlichen Glückwunsch! Sie wurden ausgewählt und erhalten einen {brand}-Gutschein im Wert von {amount}. Nehmen Sie an unserer kurzen Umfrage teil und lösen Sie Ihren Gewinn ein, bevor er heute Nacht abläuft: {url}",
        "pt": "Parabéns! Você foi selecionado para receber um vale-presente {brand} de {amount}. Responda à nossa pesquisa rápida e resgate o seu prêmio antes que expire hoje à noite: {url}",
        "nl": "Gefeliciteerd! U bent geselecteerd voor een {brand} cadeaukaart van {amount}. Doe mee aan onze korte enquête en claim uw beloning voordat deze vanavond verloopt: {url}"},
    # A fee, fine or charge demanded in gift cards.
    "fee": {
        "en": "Your parcel is held at customs. To release it you must pay the clearance fee of {amount}. Payment is accepted only in the form of {brand} gift cards; reply with the card numbers today.",
        "ar": "طردك محتجز في الجمارك. للإفراج عنه يجب دفع رسوم التخليص وقدرها {amount}. يتم الدفع عن طريق بطاقات هدايا {brand} فقط، أرسل أرقام البطاقات اليوم.",
        "it": "Il tuo pacco è fermo in dogana. Per sbloccarlo devi pagare la tassa di sdoganamento di {amount}. Il pagamento è accettato solo sotto forma di carte regalo {brand}: rispondi oggi con i numeri delle carte.",
        "es": "Su paquete está retenido en aduana. Para liberarlo debe abonar una tarifa de despacho de {amount}. El pago solo se acepta en forma de tarjetas regalo de {brand}; responda hoy con los números.",
        "fr": "Votre colis est bloqué en douane. Pour le libérer, vous devez régler des frais de dédouanement de {amount}. Le paiement n'est accepté que sous forme de cartes cadeaux {brand} ; répondez aujourd'hui avec les numéros.",
        "de": "Ihr Paket wird beim Zoll festgehalten. Zur Freigabe ist eine Zollgebühr von {amount} fällig. Die Zahlung erfolgt ausschließlich in Form von {brand} Geschenkkarten; antworten Sie heute mit den Kartennummern.",
        "pt": "Sua encomenda está retida na alfândega. Para liberá-la é preciso pagar uma taxa de desembaraço de {amount}. O pagamento só é aceito em forma de cartões-presente {brand}; responda hoje com os números.",
        "nl": "Uw pakket wordt vastgehouden door de douane. Om het vrij te geven moet u {amount} aan douanekosten voldoen. Betalen kan alleen in de vorm van {brand} cadeaukaarten; stuur vandaag de kaartnummers."},
    # A renewal nobody ordered, with a number to call.
    "renewal": {
        "en": "Your {product} subscription has been renewed for another year. Amount charged: {amount}. Invoice number: {invoice}. If you did not authorize this charge, call our billing team at {phone} within 24 hours to cancel and receive a refund.",
        "ar": "تم تجديد اشتراكك في {product} لمدة عام آخر. المبلغ المخصوم: {amount}. رقم الفاتورة: {invoice}. إذا لم تقم بهذا الدفع، اتصل بفريق الفواتير على {phone} خلال 24 ساعة للإلغاء واسترداد المبلغ.",
        "it": "Il tuo abbonamento {product} è stato rinnovato per un altro anno. Importo addebitato: {amount}. Numero fattura: {invoice}. Se non hai autorizzato questo addebito, chiama il nostro ufficio fatturazione al {phone} entro 24 ore per annullare e ottenere il rimborso.",
        "es": "Su suscripción a {product} se ha renovado por otro año. Importe cobrado: {amount}. Número de factura: {invoice}. Si usted no autorizó este cargo, llame a nuestro equipo de facturación al {phone} en 24 horas para cancelar y recibir el reembolso.",
        "fr": "Votre abonnement {product} a été renouvelé pour un an. Montant prélevé : {amount}. Numéro de facture : {invoice}. Si vous n'avez pas autorisé ce prélèvement, appelez notre service facturation au {phone} sous 24 heures pour annuler et être remboursé.",
        "de": "Ihr {product}-Abonnement wurde um ein weiteres Jahr verlängert. Abgebuchter Betrag: {amount}. Rechnungsnummer: {invoice}. Falls Sie diese Abbuchung nicht veranlasst haben, rufen Sie innerhalb von 24 Stunden unsere Abrechnung unter {phone} an, um zu stornieren und eine Erstattung zu erhalten.",
        "pt": "Sua assinatura {product} foi renovada por mais um ano. Valor cobrado: {amount}. Número da fatura: {invoice}. Se você não autorizou esta cobrança, ligue para nossa equipe de faturamento no {phone} em até 24 horas para cancelar e receber o reembolso.",
        "nl": "Uw {product}-abonnement is met een jaar verlengd. Afgeschreven bedrag: {amount}. Factuurnummer: {invoice}. Heeft u geen toestemming gegeven voor deze afschrijving? Bel binnen 24 uur onze klantenservice op {phone} om te annuleren en het geld terug te krijgen."},
    # Legitimate: the brand's own receipt, with its own support number.
    "receipt": {
        "en": "Hello {name}, thank you for renewing {product}. Amount: {amount}. Invoice number: {invoice}. Questions about your plan? Our support team is available at {phone}.",
        "ar": "مرحبا {name}، شكرًا لتجديد {product}. المبلغ: {amount}. رقم الفاتورة: {invoice}. لأي سؤال عن خطتك، فريق الدعم متاح على {phone}.",
        "it": "Ciao {name}, grazie per aver rinnovato {product}. Importo: {amount}. Numero fattura: {invoice}. Domande sul tuo piano? Il nostro supporto risponde al {phone}.",
        "es": "Hola {name}, gracias por renovar {product}. Importe: {amount}. Número de factura: {invoice}. ¿Preguntas sobre su plan? Nuestro equipo de soporte atiende en el {phone}.",
        "fr": "Bonjour {name}, merci d'avoir renouvelé {product}. Montant : {amount}. Numéro de facture : {invoice}. Une question sur votre formule ? Notre assistance répond au {phone}.",
        "de": "Hallo {name}, vielen Dank für die Verlängerung von {product}. Betrag: {amount}. Rechnungsnummer: {invoice}. Fragen zu Ihrem Tarif? Unser Kundenservice ist unter {phone} erreichbar.",
        "pt": "Olá {name}, obrigado por renovar {product}. Valor: {amount}. Número da fatura: {invoice}. Dúvidas sobre o seu plano? Nosso suporte atende no {phone}.",
        "nl": "Hallo {name}, bedankt voor het verlengen van {product}. Bedrag: {amount}. Factuurnummer: {invoice}. Vragen over uw abonnement? Onze klantenservice is bereikbaar op {phone}."},
    # Legitimate: a brand's own contest in its authenticated newsletter.
    "contest": {
        "en": "This month in our newsletter: take part in our customer survey and win one of ten {brand} vouchers worth {amount}. Closing date is the end of the month; winners are drawn by lot. Details: {url}",
        "ar": "هذا الشهر في نشرتنا: شارك في استطلاع العملاء واربح واحدة من عشر قسائم {brand} بقيمة {amount}. ينتهي الاستطلاع آخر الشهر ويتم اختيار الفائزين بالقرعة. التفاصيل: {url}",
        "it": "Questo mese nella newsletter: partecipa al sondaggio clienti e vinci uno dei dieci buoni {brand} da {amount}. Si chiude a fine mese, i vincitori sono estratti a sorte. Dettagli: {url}",
        "es": "Este mes en nuestro boletín: participe en la encuesta de clientes y gane uno de los diez vales regalo {brand} de {amount}. Cierra a final de mes; los ganadores se eligen por sorteo. Detalles: {url}",
        "fr": "Ce mois-ci dans notre lettre : participez à notre enquête clients et gagnez l'un des dix bons d'achat {brand} de {amount}. Clôture en fin de mois, tirage au sort des gagnants. Détails : {url}",
        "de": "Diesen Monat im Newsletter: Nehmen Sie an unserer Kundenumfrage teil und gewinnen Sie einen von zehn {brand}-Gutscheinen im Wert von {amount}. Einsendeschluss ist Monatsende, die Gewinner werden ausgelost. Details: {url}",
        "pt": "Este mês na nossa newsletter: participe da pesquisa de clientes e ganhe um de dez vales-presente {brand} de {amount}. Encerra no fim do mês; os ganhadores são sorteados. Detalhes: {url}",
        "nl": "Deze maand in onze nieuwsbrief: doe mee aan ons klantenonderzoek en win een van tien {brand} cadeaubonnen van {amount}. Sluiting aan het eind van de maand; de winnaars worden geloot. Details: {url}"},
    # Legitimate: a colleague forwards a news item about gift-card fee scams.
    "article": {
        "en": "FYI, from today's local paper: police warn that scammers phone people pretending to be the tax office and demand that a fine be paid with {brand} gift cards. The police stress that no authority will ever ask for payment in gift cards.",
        "ar": "للعلم، من صحيفة اليوم: تحذر الشرطة من محتالين يتصلون بالناس منتحلين صفة مصلحة الضرائب ويطالبون بدفع غرامة ببطاقات هدايا {brand}. وتؤكد الشرطة أن أي جهة رسمية لن تطلب أبدا الدفع ببطاقات الهدايا.",
        "it": "Per conoscenza, dal giornale di oggi: la polizia avverte che alcuni truffatori telefonano fingendosi l'Agenzia delle Entrate e chiedono di pagare una multa con carte regalo {brand}. La polizia ricorda che nessun ente chiede mai pagamenti in carte regalo.",
        "es": "Para tu información, del periódico de hoy: la policía advierte de estafadores que llaman haciéndose pasar por Hacienda y exigen pagar una multa con tarjetas regalo de {brand}. La policía recuerda que ningún organismo pide nunca pagos con tarjetas regalo.",
        "fr": "Pour info, dans le journal du jour : la police met en garde contre des escrocs qui se font passer pour le fisc et exigent le paiement d'une amende en cartes cadeaux {brand}. La police rappelle qu'aucune administration ne demande jamais de paiement en cartes cadeaux.",
        "de": "Zur Info aus der heutigen Lokalzeitung: Die Polizei warnt vor Betrügern, die sich als Finanzamt ausgeben und verlangen, eine Strafe mit {brand} Geschenkkarten zu bezahlen. Die Polizei betont, dass keine Behörde jemals Zahlungen in Geschenkkarten verlangt.",
        "pt": "Para sua informação, do jornal de hoje: a polícia alerta para golpistas que se passam pela Receita e exigem que uma multa seja paga com cartões-presente {brand}. A polícia lembra que nenhum órgão pede pagamento em cartões-presente.",
        "nl": "Ter info, uit de krant van vandaag: de politie waarschuwt voor oplichters die zich voordoen als de Belastingdienst en eisen dat een boete met {brand} cadeaukaarten wordt betaald. De politie benadrukt dat geen enkele instantie ooit om betaling met cadeaukaarten vraagt."},
    # Legitimate: a friend's present, congratulations and an amount, but nothing to click.
    "present": {
        "en": "Congratulations on passing your exam, {name}! Here is a {amount} {brand} gift card from all of us, the code is on the card in the envelope. Enjoy it!",
        "ar": "مبروك نجاحك في الامتحان يا {name}! هذه بطاقة هدية {brand} بقيمة {amount} منا جميعا، الرمز على البطاقة داخل الظرف. استمتع بها!",
        "it": "Complimenti per l'esame, {name}! Ecco una carta regalo {brand} da {amount} da parte di tutti noi, il codice è sulla carta nella busta. Goditela!",
        "es": "¡Enhorabuena por aprobar el examen, {name}! Aquí tienes una tarjeta regalo de {brand} de {amount} de parte de todos, el código está en la tarjeta del sobre. ¡Disfrútala!",
        "fr": "Félicitations pour ton examen, {name} ! Voici une carte cadeau {brand} de {amount} de notre part à tous, le code est sur la carte dans l'enveloppe. Profite bien !",
        "de": "Herzlichen Glückwunsch zur bestandenen Prüfung, {name}! Hier ist ein {brand}-Gutschein über {amount} von uns allen, der Code steht auf der Karte im Umschlag. Viel Spaß damit!",
        "pt": "Parabéns por passar no exame, {name}! Aqui está um vale-presente {brand} de {amount} de todos nós, o código está no cartão dentro do envelope. Aproveite!",
        "nl": "Gefeliciteerd met je examen, {name}! Hier is een {brand} cadeaukaart van {amount} van ons allemaal, de code staat op de kaart in de envelop. Veel plezier ermee!"},
}
R = {  # issue 21's shapes: what a pass proves, who is speaking, asks hidden in quotes and forwards
    # A CEO-fraud request without code words: a pretext, a purchase of gift cards, a private channel.
    "pretext": {
        "en": "Hi {name}, are you available? I need a favour: can you buy 4 {card} gift cards of $100 for some clients today? It's confidential, I'm in a meeting and can't take calls. Reply by email only.",
        "ar": "مرحبا {name}، هل أنت متاح؟ أسدني خدمة: هل يمكنك شراء 4 بطاقات هدايا {card} بقيمة 100 دولار لبعض العملاء اليوم؟ الأمر سري، أنا في اجتماع ولا أستطيع التحدث. رد بالبريد فقط.",
        "it": "Ciao {name}, sei disponibile? Fammi un favore: puoi comprare 4 carte regalo {card} da 100 euro per alcuni clienti oggi? È riservato, sono in riunione e non posso parlare. Rispondi solo via email.",
        "es": "Hola {name}, ¿estás disponible? Hazme un favor: ¿puedes comprar 4 tarjetas regalo de {card} de 100 euros para unos clientes hoy? Es confidencial, estoy en una reunión y no puedo hablar. Responde solo por correo.",
        "fr": "Bonjour {name}, es-tu disponible ? Rends-moi service : peux-tu acheter 4 cartes cadeaux {card} de 100 euros pour des clients aujourd'hui ? C'est confidentiel, je suis en réunion et je ne peux pas parler. Réponds uniquement par e-mail.",
        "de": "Hallo {name}, bist du erreichbar? Kannst du mir helfen: kauf bitte heute 4 {card} Geschenkkarten zu je 100 Euro für einen Kunden. Vertraulich, ich bin in einem Meeting und kann gerade nicht telefonieren. Antworte nur per Mail.",
        "pt": "Olá {name}, está disponível? Me faça um favor: pode comprar 4 cartões-presente {card} de 100 euros para alguns clientes hoje? É confidencial, estou numa reunião e não posso falar. Responda só por e-mail.",
        "nl": "Hoi {name}, ben je beschikbaar? Doe me een plezier: kun je kopen: 4 {card} cadeaukaarten van 100 euro voor een klant, vandaag nog? Vertrouwelijk, ik zit in een vergadering en kan niet bellen. Antwoord alleen per e-mail."},
    # The warning a reader writes above a scam she forwards, and her mail client's forward line and subject.
    "forward_warning": {
        "en": "Careful, this is a scam I just got. Never call the number!", "ar": "انتبهوا، هذه رسالة احتيال وصلتني. لا تتصلوا بالرقم أبدا!",
        "it": "Attenzione, è una truffa che ho appena ricevuto. Non chiamate mai quel numero!",
        "es": "Cuidado, es una estafa que acabo de recibir. ¡No llames nunca al número!",
        "fr": "Attention, c'est une arnaque que je viens de recevoir. Ne jamais appeler ce numéro !",
        "de": "Achtung, das ist Betrug, gerade bekommen. Rufen Sie die Nummer nie an!",
        "pt": "Cuidado, é um golpe que acabei de receber. Não ligue para o número!",
        "nl": "Let op, dit is oplichting die ik net kreeg. Bel het nummer nooit!"},
    "forward_line": {
        "en": "---------- Forwarded message ---------", "ar": "---------- رسالة معاد توجيهها ----------",
        "it": "---------- Messaggio inoltrato ----------", "es": "---------- Mensaje reenviado ---------",
        "fr": "---------- Message transféré ---------", "de": "---------- Weitergeleitete Nachricht ----------",
        "pt": "---------- Mensagem encaminhada ---------", "nl": "---------- Doorgestuurd bericht ---------"},
    "forward_subject": {"en": "Fwd: ", "ar": "إعادة توجيه: ", "it": "I: ", "es": "RV: ", "fr": "TR: ", "de": "WG: ", "pt": "Enc: ", "nl": "Doorst: "},
    # A shop's dispatch notice for another brand's product, with its own number and its own link.
    "shipped": {
        "en": "Hi {name}, your order {order} has shipped: {product}, {amount}. Track it at {url}. If you did not place this order, call us at {phone}.",
        "ar": "مرحبا {name}، تم شحن طلبك {order}: {product}، {amount}. تتبعه على {url}. إذا لم تقم بهذا الطلب، اتصل بنا على {phone}.",
        "it": "Ciao {name}, il tuo ordine {order} è stato spedito: {product}, {amount}. Segui la spedizione su {url}. Se non hai effettuato questo ordine, chiamaci al {phone}.",
        "es": "Hola {name}, tu pedido {order} ha sido enviado: {product}, {amount}. Síguelo en {url}. Si no realizaste este pedido, llámanos al {phone}.",
        "fr": "Bonjour {name}, votre commande {order} a été expédiée : {product}, {amount}. Suivez-la sur {url}. Si vous n'avez pas passé cette commande, appelez-nous au {phone}.",
        "de": "Hallo {name}, Ihre Bestellung {order} wurde versandt: {product}, {amount}. Sendungsverfolgung: {url}. Falls Sie diese Bestellung nicht getätigt haben, rufen Sie uns unter {phone} an.",
        "pt": "Olá {name}, o seu pedido {order} foi enviado: {product}, {amount}. Acompanhe em {url}. Se você não fez este pedido, ligue para nós no {phone}.",
        "nl": "Hallo {name}, je bestelling {order} is verzonden: {product}, {amount}. Volg hem via {url}. Heb je deze bestelling niet geplaatst? Bel ons op {phone}."},
    # A shop's own newsletter offering its own voucher, with its service line.
    "own_voucher": {
        "en": "Thank you for shopping with us! Order your {brand} gift card for the holidays and get a {amount} bonus voucher. Questions? Call our service line at {phone}.",
        "ar": "شكرًا لتسوقك معنا! اطلب بطاقة هدية {brand} للعطلات واحصل على قسيمة إضافية بقيمة {amount}. لأي سؤال اتصل بخدمة العملاء على {phone}.",
        "it": "Grazie per i tuoi acquisti! Ordina la tua carta regalo {brand} per le feste e ricevi un buono bonus da {amount}. Domande? Chiama il servizio clienti al {phone}.",
        "es": "¡Gracias por comprar con nosotros! Pide tu tarjeta regalo {brand} para las fiestas y recibe un vale extra de {amount}. ¿Preguntas? Llama a atención al cliente al {phone}.",
        "fr": "Merci pour vos achats ! Commandez votre carte cadeau {brand} pour les fêtes et recevez un bon bonus de {amount}. Des questions ? Appelez notre service client au {phone}.",
        "de": "Vielen Dank für Ihren Einkauf! Bestellen Sie Ihre {brand} Geschenkkarte für die Feiertage und erhalten Sie einen Bonusgutschein über {amount}. Fragen? Unsere Service-Hotline: {phone}.",
        "pt": "Obrigado por comprar connosco! Encomende o seu cartão-presente {brand} para as festas e receba um vale bónus de {amount}. Dúvidas? Ligue para o nosso apoio ao cliente no {phone}.",
        "nl": "Bedankt voor je aankoop! Bestel je {brand} cadeaukaart voor de feestdagen en ontvang een bonusbon van {amount}. Vragen? Bel onze klantenservice op {phone}."},
}
PRODUCTS = ["Apple AirPods Pro", "Samsung Galaxy Buds", "Sony WH-1000XM5", "Nintendo Switch OLED"]
SHOPS = [("Bigshop", "bigshop.example"), ("Elektro Markt", "elektromarkt.example"), ("Casa Tech", "casatech.example")]
LURE_SUBJECT = {
    "en": "You have been selected: {brand} reward", "ar": "تم اختيارك: جائزة {brand}", "it": "Sei stato selezionato: premio {brand}",
    "es": "Ha sido seleccionado: premio {brand}", "fr": "Vous avez été sélectionné : récompense {brand}",
    "de": "Sie wurden ausgewählt: {brand}-Gutschein", "pt": "Você foi selecionado: prêmio {brand}", "nl": "U bent geselecteerd: {brand} beloning"}
RENEWAL_SUBJECT = {
    "en": "Your {product} renewal receipt", "ar": "إيصال تجديد {product}", "it": "Ricevuta di rinnovo {product}",
    "es": "Recibo de renovación de {product}", "fr": "Reçu de renouvellement {product}", "de": "Ihre {product} Verlängerung",
    "pt": "Recibo de renovação {product}", "nl": "Uw {product} verlenging"}
LURE_BRANDS = ["Lidl", "ALDI", "EDEKA", "Kaufland", "Cash App", "Walmart", "Amazon", "IKEA", "Carrefour", "Decathlon", "Albert Heijn", "Rossmann"]
SOFTWARE = [("Norton 360", "norton.com"), ("McAfee Total Protection", "mcafee.com"), ("Geek Squad", "geeksquad.com"),
            ("Microsoft 365", "microsoft.com"), ("PayPal", "paypal.com")]
LURE_HOSTS = ["bit.ly/3xQz9Lm", "survey-rewards.example.com/c", "203.0.113.45/win", "promo-center.web.app/claim", "tinyurl.com/yc7p2k"]

SUBJECT = {
    "en": "Your {brand} order", "ar": "طلبك من {brand}", "it": "Il tuo ordine {brand}", "es": "Tu pedido de {brand}",
    "fr": "Votre commande {brand}", "de": "Ihre {brand} Bestellung", "pt": "Seu pedido {brand}",
    "nl": "Je {brand}-bestelling"}
NAMES = {"en": ["Dana Rossi", "Tom Baker"], "ar": ["سارة", "أحمد"], "it": ["Giulia", "Marco"], "es": ["Diego", "Lucía"],
         "fr": ["Emma", "Louis"], "de": ["Fritz", "Anna"], "pt": ["João", "Ana"],
         "nl": ["Sanne", "Daan"]}
PHONES = {"en": "+1 (888) 555-0134", "ar": "٠٥٥ ١٢٣ ٤٥٦٧ ٨٩", "it": "+39 02 1234 5678", "es": "+34 911 234 567",
          "fr": "+33 1 23 45 67 89", "de": "+49 30 1234 5678", "pt": "+55 11 91234-5678",
          "nl": "+31 20 123 4567"}
AMOUNTS = {"en": "$500.00", "ar": "500 ريال", "it": "500,00 €", "es": "500,00 €", "fr": "500,00 €", "de": "500,00 €", "pt": "R$ 500,00", "nl": "€ 500,00"}
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
    """What this host's verifiers write for mail the domain signed: their result on top, above the
    message's own fields, and the DKIM-Signature it stands for (not a verifiable one: the corpus is read
    offline, and the product believes the verifier, not the signature)."""
    return [("Authentication-Results", f"{TRUSTED}; dkim=pass header.d={domain}; spf=pass smtp.mailfrom={domain}; dmarc=pass header.from={domain}"),
            ("DKIM-Signature", f"v=1; a=rsa-sha256; c=relaxed/relaxed; d={domain}; s=corpus; h=from:to:subject:date; bh=; b=")]


def build(subject, body, from_header, to="reader@example.org", headers=(), html=False, cte=None):
    msg = EmailMessage()
    trace = [h for group in headers if isinstance(group, list) for h in group]
    for name, value in trace[:1]:
        msg[name] = value
    msg["From"] = from_header
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = formatdate(1800000000 + rng.randint(0, 86400), localtime=False)
    msg["Message-ID"] = f"<{rng.getrandbits(64):x}@corpus.example>"
    for name, value in [h for h in headers if not isinstance(h, list)] + trace[1:]:
        msg[name] = value
    if html:
        paragraphs = "".join(f"<p>{line}</p>" for line in body.split("\n") if line)
        msg.set_content(body, cte=cte)
        msg.add_alternative(f"<html><body>{paragraphs}</body></html>", subtype="html", cte=cte)
    else:
        msg.set_content(body, cte=cte)
    return msg.as_bytes()


def promotion(text, shop, domain):
    """A newsletter as marketing mail is sent: a hidden preheader padded with invisible characters, and a
    link that shows the shop's own site and leads through a click-tracking redirect."""
    msg = EmailMessage()
    for name, value in aligned(domain)[:1]:
        msg[name] = value
    msg["From"] = f'"{shop}" <news@{domain}>'
    msg["To"] = "reader@example.org"
    msg["Subject"] = shop + " Newsletter"
    msg["Date"] = formatdate(1800000000 + rng.randint(0, 86400), localtime=False)
    msg["Message-ID"] = f"<{rng.getrandbits(64):x}@corpus.example>"
    for name, value in aligned(domain)[1:]:
        msg[name] = value
    padding = "&zwnj;&nbsp;" * 30
    html = (f'<html><body><div style="display:none">{shop} {padding}</div><p>{text}</p>'
            f'<p><a href="https://click.esp-tracker.example/c/{rng.getrandbits(32):x}">www.{domain}</a></p></body></html>')
    msg.set_content(text + f"\nwww.{domain}\n", cte="8bit")
    msg.add_alternative(html, subtype="html", cte="8bit")
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

            # Reward lures: a brand's voucher offered by a sender who is not the brand.
            lure_brand = rng.choice(LURE_BRANDS)
            url = "https://" + rng.choice(LURE_HOSTS)
            lure_kw = dict(kw, brand=lure_brand, url=url)
            sender = [f'"{lure_brand} Rewards" <news@{rng.choice(["promo-mailer.example", "kundenvorteil.example", "offer-center.example"])}>',
                      f'"Kundenumfrage" <info@{rng.choice(["survey-panel.example", "mailing-hub.example"])}>',
                      f'"{lure_brand}" <gewinn@{rng.choice(["newsletter.stayconnected.example", "mx7.lucky-draw.example"])}>'][variant]
            write("scam-reward-lure", lang, build(fill(LURE_SUBJECT[lang], **lure_kw), fill(Q["lure"][lang], **lure_kw), sender,
                                                  html=html, cte=cte))
            # Fees demanded in gift cards, from a free mailbox or a throw-away domain.
            fee_sender = rng.choice(['"Customs Clearance" <clearance.dept@gmail.com>', '"Delivery Service" <notice@parcel-hold.example>',
                                     '"Tax Office" <office@outlook.com>'])
            write("scam-gift-card-payment", lang, build(rng.choice(["Parcel on hold", "Final notice", "Action required"]),
                                                        fill(Q["fee"][lang], **dict(kw, brand=card)), fee_sender, cte=cte))
            # Call-back renewals: the brand in the display name, the mail from elsewhere.
            product, product_domain = SOFTWARE[(variant + LANGS.index(lang)) % len(SOFTWARE)]
            rkw = dict(kw, product=product, invoice=f"INV-{rng.randint(100000, 999999)}")
            write("scam-callback-purchase", lang,
                  build(fill(RENEWAL_SUBJECT[lang], **rkw), fill(Q["renewal"][lang], **rkw),
                        f'"{product} Billing" <billing{variant}@{rng.choice(["secure-invoices.example", "accounts-center.example", "gmail.com"])}>',
                        html=html, cte=cte))
            # Their legitimate look-alikes: the brand's own receipt, the brand's own contest, a forwarded
            # article, a friend's present.
            write("receipt-from-brand", lang, build(fill(RENEWAL_SUBJECT[lang], **rkw), fill(Q["receipt"][lang], **rkw),
                                                    f'"{product}" <billing@{product_domain}>', headers=[aligned(product_domain)], html=html, cte=cte))
            write("contest-newsletter", lang,
                  build(fill(P["newsletter"][lang], **kw)[:50], fill(Q["contest"][lang], **dict(kw, url=f"https://www.{bdomain}/survey")),
                        f'"{bname}" <news@{bdomain}>', headers=[aligned(bdomain)], html=True, cte=cte))
            write("news-forward", lang, build("Fwd: " + rng.choice(["gift card scam", "read this", "police warning"]),
                                              fill(Q["article"][lang], **dict(kw, brand=card)), '"Sam" <sam@corp.example.org>', cte=cte))
            write("personal-present", lang, build("🎓", fill(Q["present"][lang], **dict(kw, brand=card)), '"Sam" <sam.friend@gmail.com>', cte=cte))
    # Issue 21's shapes, after the rest so the messages above keep their bytes; deployed as the milter
    # sees them behind OpenDKIM (a trusted pass for each signer on top, free mailboxes included).
    for lang in LANGS:
        for variant in range(3):
            name = NAMES[lang][variant % len(NAMES[lang])]
            kw = dict(name=name, card=rng.choice(["Google Play", "Apple", "Steam"]), phone=PHONES[lang], amount=AMOUNTS[lang],
                      order=order_id())
            mailbox = rng.choice(["gmail.com", "outlook.com", "yahoo.com"])
            # A callback renewal from a free mailbox that passes its provider's DKIM: identity, not innocence.
            product, _ = SOFTWARE[(variant + LANGS.index(lang)) % len(SOFTWARE)]
            rkw = dict(kw, product=product, invoice=f"INV-{rng.randint(100000, 999999)}")
            write("scam-callback-freemail-signed", lang,
                  build(fill(RENEWAL_SUBJECT[lang], **rkw), fill(Q["renewal"][lang], **rkw),
                        f'"Billing Department" <billing.dept{variant}{rng.randint(10, 99)}@{mailbox}>', headers=[aligned(mailbox)], cte="8bit"))
            # The CEO-fraud request without code words, from a free mailbox that passes.
            write("scam-bec-pretext", lang,
                  build(rng.choice(["Quick favour", "Are you available?", "Urgent"]), fill(R["pretext"][lang], **kw),
                        f'"Robert Miller" <r.miller.office{variant}@{mailbox}>', headers=[aligned(mailbox)], cte="8bit"))
            # A reader forwards a callback scam with a warning above it: awareness, not a confirmation.
            scam = "\n".join([fill(P["thanks"][lang], **dict(kw, brand="Amazon")), fill(P["order"][lang], **kw), fill(P["callback"][lang], **kw)])
            write("awareness-forward", lang,
                  build(R["forward_subject"][lang] + fill(SUBJECT[lang], brand="Amazon"),
                        "\n".join([R["forward_warning"][lang], "", R["forward_line"][lang], "From: Amazon <auto-confirm@amaz0n-orders.com>", scam]),
                        f'"{name}" <{name.split()[0].lower()}.k{variant}@{mailbox}>', headers=[aligned(mailbox)], cte="8bit"))
            # A shop's signed dispatch notice for another brand's product, with its own link and number.
            shop, shop_domain = SHOPS[variant]
            skw = dict(kw, product=PRODUCTS[(variant + LANGS.index(lang)) % len(PRODUCTS)], url=f"https://www.{shop_domain}/track/{rng.randint(1000, 9999)}")
            write("receipt-other-brand", lang,
                  build(fill(SUBJECT[lang], brand=shop), fill(R["shipped"][lang], **skw), f'"{shop}" <orders@{shop_domain}>',
                        headers=[aligned(shop_domain)], cte="8bit"))
            # A shop's own signed newsletter offering its own voucher, its service line, a tracking link
            # that shows its own site and hidden preheader padding.
            write("promo-own-voucher", lang, promotion(fill(R["own_voucher"][lang], **dict(kw, brand=shop)), shop, shop_domain))
    total = sum(len(files) for _, _, files in os.walk(HERE))
    print(f"{total} messages written to {HERE}")


if __name__ == "__main__":
    main()
