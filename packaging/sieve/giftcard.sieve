# giftcard-milter: file suspicious gift-card confirmations into Junk and flag the erroneous ones.
# Use it as a user script or a global "before" script (Dovecot Pigeonhole: sieve_before).
require ["fileinto", "imap4flags"];

# A confirmation claiming a brand that did not send it: out of the inbox, marked as junk.
if header :is "X-GiftCard-Verdict" "suspicious" {
    addflag "$Junk";
    fileinto "Junk";
    stop;
}

# A real confirmation the brand sent in error: keep it, flagged, so the reader sees it is known.
if header :is "X-GiftCard-Verdict" "erroneous" {
    addflag "\\Flagged";
}
