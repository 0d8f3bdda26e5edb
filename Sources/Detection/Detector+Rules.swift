import MailView

/// The verdict rules, in the order they are tried. Each family needs what its scam cannot do without
/// (a demand needs a payment in gift cards, a lure needs an offer and the pressure around it, a call-back
/// needs a transaction and a phone number) and evidence about the sender that legitimate mail of the same
/// shape does not have. Wording only ever counts in combination, never one phrase alone: a false flag on
/// legitimate mail costs more than a miss.
extension Detector {
    /// `hits`: the lexicon's scan of `view.normalizedText` (details do not change that text).
    func evaluate(_ view: MessageView, envelope: Envelope, hits: Lexicon.Hits) -> Verdict {
        let s = signals(view, envelope: envelope, hits: hits)
        return noting(judge(view, s), about: view, forgedAuthentication: s.forgedAuthentication)
    }

    private func judge(_ view: MessageView, _ s: MessageSignals) -> Verdict {
        let language = view.language
        if let notice = securityNotice(s, language: language) { return notice }
        if let warning = scamAwareness(s, language: language) { return warning }
        if let verdict = giftCardDemand(s, language: language) { return verdict }
        if let verdict = rewardLure(s, language: language) { return verdict }
        if let verdict = giftCardConfirmation(view, s, language: language) { return verdict }
        if let verdict = callbackPurchase(s, language: language) { return verdict }
        return Self.notGiftCard(language: language)
    }

    /// A warning about scams quotes their wording: "scammers send fake confirmations… never call". Only
    /// the organisation's own security team is believed to be warning (`OrganizationDomains`, and its
    /// authenticated mail): anyone else could add the same sentence to a scam. And a notice asks for
    /// nothing: one that asks to call back about a purchase, links outside the organisation, gives a
    /// mailbox to reply to or asks for a payment in gift cards is judged like any other mail.
    func securityNotice(_ s: MessageSignals, language: String) -> Verdict? {
        guard s.organizationSender, s.hits.has(.awareness), s.hits.has(.advice), s.senderBrand == nil else { return nil }
        guard s.hits.has(.giftCard) || s.hits.has(.transaction) else { return nil }
        // What it asks in its own words: wording it quotes from a scam ("…did not make this purchase, call
        // us") is the example, not the ask. A helpdesk number to report to is no callback.
        let asksToCall = s.phone && s.asks(.callback)
        let asksToPay = (paymentDemanded(s) && s.asks(.payWith)) || s.asks(.codeSharing)
        let asksToClick = s.outsideLinks || s.linkMismatch
        guard !asksToCall, !asksToPay, !asksToClick, !s.freemailReplyTo else { return nil }
        return Verdict(kind: .none, score: 0, reasons: [.securityNotice], brand: nil, language: language,
                       explanation: "A security notice from your organisation that quotes gift-card scam wording to warn about it.")
    }

    /// Awareness mail from anyone (a bank's newsletter, a training mail, a reader forwarding a scam with a
    /// warning above it) quotes a whole scam, its number included: in the sender's own words it warns and
    /// advises, and everything it would ask (a call, a payment, codes) stands inside quotation marks or
    /// the forwarded part. It asks nothing itself, links nowhere but home and takes replies nowhere else,
    /// and does not present itself as a brand: then it is `none`, never a confirmation. A scam with a
    /// warning sentence added still asks in its own words, and is judged on that ask.
    func scamAwareness(_ s: MessageSignals, language: String) -> Verdict? {
        guard !s.quoted.isEmpty, s.says(.awareness) || s.says(.advice) else { return nil }
        guard s.hits.has(.giftCard) || s.hits.has(.transaction) || s.hits.has(.purchase) else { return nil }
        let asksToCall = s.phone && (s.asks(.callback) || s.asks(.support))
        let asksToPay = (paymentDemanded(s) && s.asks(.payWith)) || s.asks(.codeSharing) || s.asks(.request)
        let linksElsewhere = s.hasLinks && !s.linksHomeOnly || s.linkMismatch || s.riskyLinks
        guard !asksToCall, !asksToPay, !linksElsewhere, !s.freemailReplyTo, !s.replyElsewhere, !s.lookalike,
              s.displayNameBrand.map({ $0.owns(domain: s.fromDomain) }) ?? true, !s.disguised else { return nil }
        return Verdict(kind: .none, score: 0, reasons: [.scamAwareness], brand: nil, language: language,
                       explanation: "Warns about gift-card scams and quotes their wording; it asks nothing of you itself.")
    }

    /// Gift cards named as the means to pay a fee, fine or charge, close together.
    func paymentDemanded(_ s: MessageSignals) -> Bool {
        let cards = s.hits.offsets(.giftCard)
        return s.hits.near(.payWith, offsets: cards, within: 48) && s.hits.near(.fee, offsets: cards, within: 320)
    }

    /// A text about the fraud that gives the reader no way to act on it: warning words and advice, and no
    /// phone number, link or reply mailbox to pay through. A forwarded article or a leaflet describes the
    /// demand; a demand needs a way to be paid, so a scam with a warning added still has its number.
    func reportsOnFraud(_ s: MessageSignals) -> Bool {
        s.hits.has(.awareness) && s.hits.has(.advice) && !s.phone && !s.hasLinks && !s.freemailFrom && !s.freemailReplyTo
    }

    /// Gift cards as a means of payment someone demands: codes to pass on (the "boss needs gift cards"
    /// fraud), or a fee, fine or charge to be paid in them. No authority or company takes payment that way,
    /// but a shop's own mail may offer its gift cards, so mail a brand or an authenticated sender sends is
    /// not read as a demand, nor is a report on the fraud that gives no way to pay.
    func giftCardDemand(_ s: MessageSignals, language: String) -> Verdict? {
        guard s.hits.has(.giftCard), !reportsOnFraud(s) else { return nil }
        if paymentDemanded(s), !s.senderAuthenticated || s.senderClaimMismatch, brands.brand(owning: s.fromDomain) == nil {
            var reasons: [Reason] = [.giftCardPayment]
            if s.hits.has(.codeSharing) { reasons.append(.giftCardRequest) }
            // Replies to a free mailbox: the From itself, or the Reply-To.
            if s.freemailFrom || s.freemailReplyTo { reasons.append(.freemailReplyTo) }
            if s.phone { reasons.append(.callbackPhone) }
            return Verdict(kind: .suspicious, score: scores[.paymentDemand], reasons: reasons, brand: nil, language: language,
                           explanation: "Asks for a fee, fine or charge to be paid with gift cards: no authority or company takes payment that way.")
        }
        guard !s.brandSenderAuthenticated, s.hits.has(.codeSharing) || giftCardsRequested(s) else { return nil }
        var reasons: [Reason] = [.giftCardRequest]
        if s.freemailReplyTo { reasons.append(.freemailReplyTo) }
        return Verdict(kind: .suspicious, score: scores[.codeRequest], reasons: reasons, brand: nil, language: language,
                       explanation: "Asks you to buy gift cards and pass on their codes, a common fraud; confirm by phone with the person, using a number you already know.")
    }

    /// The CEO-fraud shape without its code words: someone asks the reader to buy gift cards ("I need you
    /// to buy 5 Google Play cards"), under a pretext (available? confidential, in a meeting, urgent), and
    /// wants the answer on a channel of the writer's choosing (a free mailbox, a reply address elsewhere,
    /// a phone). A colleague's request from the organisation's own domain has no such channel.
    func giftCardsRequested(_ s: MessageSignals) -> Bool {
        // A receipt for gift cards is no request for them ("thank you for buying" is not "buy me").
        guard !readsAsConfirmation(s) else { return false }
        let cards = s.hits.offsets(.giftCard)
        guard s.hits.near(.request, offsets: cards, within: 160) else { return false }
        guard s.hits.has(.discretion) || s.hits.near(.urgency, offsets: cards, within: 300) else { return false }
        return s.freemailFrom || s.freemailReplyTo || s.replyElsewhere || s.phone
    }

    /// A prize, voucher or survey reward as bait: an offer, the pressure around it (chosen, take part,
    /// claim, expires) and an amount, close together as in a lure's few lines rather than scattered
    /// through a newsletter, and a sign that the sender is not who makes the offer.
    func rewardLure(_ s: MessageSignals, language: String) -> Verdict? {
        let h = s.hits
        // A prize is an offer when it is the reader's ("you have won", "Ihr Gewinn", "félicitations…
        // gagnant"), not a word in an article ("the team won"). A sender named after the reward
        // ("EDEKA-Gutschein") makes an offer too, at the top of the message.
        let readers = h.offsets(.secondPerson), chosen = h.offsets(.selection), cards = h.offsets(.giftCard)
        let prizes = h.offsets(.prize).filter { p in
            readers.contains { abs($0 - p) <= 40 } || chosen.contains { abs($0 - p) <= 80 } || cards.contains { abs($0 - p) <= 60 }
        }
        let namedOffer = s.displayName.has(.giftCard) || s.displayName.has(.prize)
        let offers = h.offsets(.giftCard) + prizes + (namedOffer ? [0] : [])
        guard !offers.isEmpty else { return nil }
        let near = [Lexicon.Section.selection, .participation, .claim, .urgency]
            .filter { h.near($0, offsets: offers, within: Self.lureWindow) }
        let pressure = near.count
        let giftCard = h.has(.giftCard) || s.displayName.has(.giftCard)
        let strength = pressure + (s.details.amount ? 1 : 0) + (giftCard ? 1 : 0) + (prizes.isEmpty ? 0 : 1)
        // A lure wants a click or a reply to a form: a friend's "congratulations, here is a $50 Amazon
        // gift card" from a free mailbox has no link.
        guard strength >= 2, s.hasLinks || s.imageOnly || s.hasInvitation || !s.freemailFrom else { return nil }
        // Without a prize, a reader chosen or a survey, a gift card with an amount and "call immediately"
        // is what a confirmation shows: the confirmation rules judge it.
        if prizes.isEmpty, !near.contains(.selection), !near.contains(.participation), readsAsConfirmation(s) { return nil }

        // The brand whose voucher or prize is offered: named right beside the offer ("EDEKA-Gutschein").
        let offered = s.brandMentions.first { mention in
            !mention.brand.owns(domain: s.fromDomain) && offers.contains { abs($0 - mention.offset) <= 60 }
        }?.brand ?? s.foreignSenderClaim
        // Signs no shop's own mailing wears: links to throw-away hosts, a greeting by mail address, replies
        // to a free mailbox, a free web host as sender, a brand's name spaced out against filters.
        var marks: [Reason] = []
        if s.lookalike { marks.append(.lookalikeDomain) }
        if s.freemailReplyTo { marks.append(.freemailReplyTo) }
        if s.spacedBrand { marks.append(.obfuscatedText) }
        let tells = [s.riskyLinks, s.fromFreeHost, s.addressGreeting, namedOffer || s.displayName.has(.selection),
                     s.imageOnly].filter { $0 }.count + marks.count
        // An authenticated sender's own offer is marketing. Without a tell, so is any offer unless the
        // sender claims a foreign brand: a shop raffles its own vouchers, and other brands' vouchers
        // named only in its text, in its own newsletter.
        if s.speaksForItself, offered == nil { return nil }
        if tells == 0, s.foreignSenderClaim == nil { return nil }
        // The sender itself posing as a brand (its display name, subject or shown links) from another
        // domain is evidence of its own, beside the brand of the prize.
        let evidence = (offered != nil ? 1 : 0) + (s.foreignSenderClaim != nil ? 1 : 0) + tells
        guard strength + evidence >= 4 else { return nil }
        let reasons: [Reason] = [.rewardLure] + (offered != nil ? [.brandDomainMismatch] : []) + marks
        let name = offered.map { $0.names.first ?? $0.id }
        return Verdict(kind: .suspicious, score: min(scores[.ceiling], scores[.rewardLure] + scores[.rewardLurePerSign] * (strength + evidence)), reasons: reasons, brand: offered?.id,
                       language: language,
                       explanation: name.map { "Offers a \($0) prize or voucher as bait, and \($0) did not send it." }
                           ?? "Offers a prize or voucher as bait from a sender that is not who it claims.")
    }

    /// How close (in bytes of normalized text) pressure words must stand to an offer to count with it.
    static let lureWindow = 300

    /// Reads as a confirmation of a transaction: a confirmation phrase, a transaction word addressed to
    /// the reader ("your order", "Ihre Bestellung") with an amount or order number, or a subject that
    /// names a transaction and a text with an amount.
    func readsAsConfirmation(_ s: MessageSignals) -> Bool {
        // An offer to everyone ("order yours", "bestellen Sie Ihre…") without an order of the reader's is
        // marketing, whatever thanks it opens with.
        if s.hits.has(.offer), !s.details.orderNumber { return false }
        if s.hits.has(.purchase) { return true }
        // A transaction of the reader's has an identifier: "your order 5561-221". An amount beside "your
        // order" alone is as often an offer to everyone ("order yours today and get a $5 card").
        if s.details.orderNumber, s.hits.near(.transaction, .secondPerson, within: 40) { return true }
        return (s.details.amount || s.details.orderNumber) && (s.subject.has(.transaction) || s.subject.has(.purchase))
    }

    /// A gift-card purchase confirmation, judged by who sent it.
    func giftCardConfirmation(_ view: MessageView, _ s: MessageSignals, language: String) -> Verdict? {
        let h = s.hits
        guard h.has(.giftCard), readsAsConfirmation(s) else { return nil }
        // The gift card is what was bought: near the transaction, or in the subject.
        let transactions = h.offsets(.purchase) + h.offsets(.transaction)
        guard s.subject.has(.giftCard) || h.near(.giftCard, offsets: transactions, within: 400) else { return nil }
        let claimOutsideText = s.claimOutsideText
        let claimed = s.claimed
        let fromDomain = s.fromDomain
        let callback = s.phone && (h.has(.callback) || h.has(.support))
        var reasons: [Reason] = [.giftCardConfirmation]

        // A brand named only in the text of mail whose own sender authenticated ("paid with PayPal" in
        // a shop's receipt) is not a claim to be that brand: judge it as the sender's own confirmation.
        // Unauthenticated, a brand named only in the text is a claim only with a lure beside it: articles
        // and forwards name brands too.
        let claimIsOnlyInText = claimed != nil && claimOutsideText == nil
        let textClaimHolds = s.lookalike || s.linkMismatch || s.freemailReplyTo || s.freemailFrom || callback || s.spacedBrand
        guard let brand = claimed, !(claimIsOnlyInText && (s.speaksForItself || !textClaimHolds)) else {
            let (markers, bonus) = scamMarkers(view, s, brand: nil)
            let lures = markers.filter { $0 == .linkMismatch || $0 == .freemailReplyTo }
            // Without a brand, a support line is how every shop ends its mail: only a dispute cue with a
            // number ("if you did not make this purchase, call…") is the lure.
            let disputeCallback = s.phone && h.has(.callback)
            if disputeCallback || !lures.isEmpty {
                if disputeCallback { reasons.append(.callbackPhone) }
                reasons += markers
                return Verdict(kind: .suspicious, score: scores[.unbrandedLure] + (disputeCallback ? scores[.unbrandedLureDisputeCallback] : 0) + bonus, reasons: reasons, brand: nil, language: language,
                               explanation: disputeCallback
                                   ? "A gift-card confirmation that asks you to call a phone number."
                                   : "A gift-card confirmation whose links or reply address lead somewhere other than they show.")
            }
            if s.speaksForItself {
                reasons.append(.senderAuthenticated)
                return Verdict(kind: .genuine, score: scores[.authenticatedSender], reasons: reasons, brand: nil, language: language,
                               explanation: "A gift-card confirmation from an authenticated sender, \(fromDomain).")
            }
            reasons.append(.unknownBrand)
            return Verdict(kind: .none, score: scores[.unknownBrand], reasons: reasons, brand: nil, language: language,
                           explanation: "A gift-card confirmation from a sender that is neither a known brand nor authenticated.")
        }

        // Trusted results only: a DKIM or DMARC pass for a domain of the brand, which the From domain is.
        if brand.owns(domain: fromDomain), s.trustedPasses.contains(where: brand.owns(domain:)) {
            reasons.append(.brandAuthenticated)
            let name = brand.names.first ?? brand.id
            let details = s.details
            if !details.any {
                reasons.append(.noOrderDetails)
                if details.genericSalutation { reasons.append(.genericSalutation) }
                return Verdict(kind: .erroneous, score: scores[details.genericSalutation ? .brandSentInErrorGenericSalutation : .brandSentInError], reasons: reasons, brand: brand.id,
                               language: language,
                               explanation: "\(name) sent this confirmation, but it carries no order number, amount or name of yours: it was most likely sent in error.")
            }
            return Verdict(kind: .genuine, score: scores[.brandAuthenticated], reasons: reasons, brand: brand.id, language: language,
                           explanation: "A gift-card confirmation that \(name) authenticated.")
        }

        var score = scores[.brandImpostor]
        let (markers, bonus) = scamMarkers(view, s, brand: brand)
        if brand.owns(domain: fromDomain) {
            reasons.append(.brandNotAuthenticated)
            // No pass is not a spoof shown: mail reaches hosts that verify nothing, and a brand's own
            // receipt is then unauthenticated. Suspicious when this host's verifier failed the brand, when
            // a result claiming this host's id was forged, or when the message lures (a number to call,
            // links or replies elsewhere, disguised text); otherwise the missing pass is said in the
            // reasons, not in the verdict.
            let lures = callback || markers.contains { [.linkMismatch, .freemailReplyTo].contains($0) } || s.disguised
            if !s.brandSenderFailed, !s.forgedAuthentication, !lures {
                return Verdict(kind: .none, score: scores[.brandUnauthenticatedQuiet], reasons: reasons, brand: brand.id, language: language,
                               explanation: "A gift-card confirmation from \(brand.names.first ?? brand.id)'s domain that no trusted result vouches for, and that asks nothing of you.")
            }
        } else {
            reasons.append(.brandDomainMismatch)
            if s.lookalike {
                reasons.append(.lookalikeDomain)
                score += scores[.brandImpostorLookalike]
            }
        }
        reasons += markers
        score += bonus
        if callback {
            reasons.append(.callbackPhone)
            score += scores[.brandImpostorCallback]
        }
        let name = brand.names.first ?? brand.id
        let explanation = callback
            ? "Presents itself as a confirmation from \(name), was not sent by \(name), and asks you to call a phone number."
            : "Presents itself as a confirmation from \(name) but was not sent by \(name)'s authenticated mail."
        return Verdict(kind: .suspicious, score: score, reasons: reasons, brand: brand.id, language: language,
                       explanation: explanation)
    }

    /// The brand a notice is about, named in its text: beside a transaction word ("your Norton 360
    /// subscription", "McAfee renewal") or signing its footer ("© 2025 McAfee, LLC"), not as the means
    /// of payment ("paid with PayPal") of a shop's own receipt. A brand that owns the From domain is
    /// the sender, not a claim.
    func presentedBrand(_ s: MessageSignals) -> Brand? {
        if let signed = s.signedBrand, !signed.owns(domain: s.fromDomain) { return signed }
        let transactions = s.hits.offsets(.transaction) + s.hits.offsets(.purchase)
        let paying = s.hits.offsets(.payWith)
        return s.brandMentions.first { mention in
            !mention.brand.owns(domain: s.fromDomain)
                && transactions.contains { abs($0 - mention.offset) <= 120 }
                && !paying.contains { $0 < mention.offset && mention.offset - $0 <= 16 }
        }?.brand
    }

    /// A purchase, renewal or invoice confirmation with a number to call, from someone who is not the
    /// brand it names: "Norton 360 renewed, $399.99 — if you did not authorize this, call +1 …". Real
    /// receipts give phone numbers too, so the sender must be shown not to be the brand: a foreign brand
    /// in the display name or subject, a look-alike domain, a free mailbox writing in a brand's name, or a
    /// brand named in the text beside a dispute cue ("if you did not authorize", "to cancel").
    func callbackPurchase(_ s: MessageSignals, language: String) -> Verdict? {
        let h = s.hits
        // The transaction is what the message is about: in the subject or its first lines, not a word
        // deep in a newsletter.
        let early = (h.offsets(.transaction) + h.offsets(.purchase)).contains { $0 < 600 }
        guard s.phone, early, s.details.amount || s.details.orderNumber,
              h.has(.support) || h.has(.callback), readsAsConfirmation(s) || s.subject.has(.transaction) else { return nil }
        // Who the message says it is from: its display name or subject (a newsletter's link to a brand's
        // site is no such claim).
        let named = [s.displayNameBrand, s.senderBrand, s.subjectBrand].compactMap { $0 }.first
        let namedForeign = named.map { !$0.owns(domain: s.fromDomain) } ?? false
        if s.speaksForItself, s.displayNameBrand.map({ $0.owns(domain: s.fromDomain) }) ?? true { return nil }
        var reasons: [Reason] = [.callbackPurchase]
        let brand = (namedForeign ? named : nil) ?? presentedBrand(s)
        if (namedForeign && !s.speaksForItself) || s.displayNameBrand.map({ !$0.owns(domain: s.fromDomain) }) == true || s.lookalike {
            reasons.append(s.lookalike ? .lookalikeDomain : .brandDomainMismatch)
        } else if brand != nil, s.freemailFrom || s.freemailReplyTo || h.has(.callback) || s.disguised
                    || (s.hiddenText && s.subject.has(.transaction)) {
            // A brand named only in the text of a notice that hides text from the reader, or that comes
            // from a free mailbox, or that offers a way to dispute the charge: no brand's receipts do that.
            reasons.append(.brandDomainMismatch)
        } else if brand == nil, s.claimed == nil, s.freemailFrom, h.has(.callback) {
            reasons.append(.unknownBrand)
        } else {
            return nil
        }
        if s.freemailReplyTo { reasons.append(.freemailReplyTo) }
        if s.linkMismatch { reasons.append(.linkMismatch) }
        if s.disguised { reasons.append(.obfuscatedText) }
        reasons.append(.callbackPhone)
        let name = brand.map { $0.names.first ?? $0.id }
        return Verdict(kind: .suspicious, score: min(scores[.ceiling], scores[.callbackPurchase] + scores[.callbackPurchasePerSign] * (reasons.count - 3)), reasons: reasons, brand: brand?.id,
                       language: language,
                       explanation: name.map { "Presents itself as a purchase or renewal from \($0), was not sent by \($0), and wants you to call a phone number." }
                           ?? "Confirms a purchase or renewal from a free mailbox and wants you to call a phone number to dispute it.")
    }
}
