#!/usr/bin/env python3
"""Writes the seed inputs of the fuzz target `screen` (scripts/fuzz, FUZZ_TARGET=screen) into ScreenSeeds/.

An input is a flags byte, then text added to the end of the plain part, a NUL, and the fuzzed part
(see Sources/giftcard-fuzz/ScreenTarget.swift); with the flags' top bit set it is a whole message.
The seeds hold lures dressed every way the screen must see through, and clean newsletter markup."""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "ScreenSeeds")
LURE = ("Dear Amazon customer, thank you for purchasing Google Play gift cards. If you did not make this "
        "purchase, call us immediately at +1 (888) 555-0134 to cancel.")
PRIZE = "Congratulations! You have been selected to receive a $500 Walmart gift card. Claim your reward now."
CLEAN = ("<html><head><title>Spring</title><style>p{margin:0}</style></head><body>"
         "<p>Our spring collection is here: <b>linen</b> shirts &amp; light jackets.</p>"
         "<p><a href=\"https://shop.example.net/?a=1&amp;b=2\" style=\"text-decoration:none\">Shop now</a></p>"
         "<!--[if mso]><table><tr><td><![endif]--><img src=\"logo.png\" alt=\"Shop logo\">"
         "<span style=\"display:none\">preheader text</span><script>if (a<b) go()</script></body></html>")


def split_words(text, insert):
    return " ".join(w[:2] + insert + w[2:] if len(w) > 4 else w for w in text.split(" "))


SEEDS = {
    "clean-html": (0x10, "", CLEAN),
    "clean-plain": (0x18, "", "See you soon,\nthe shop team"),
    "lure-html": (0x10, "", "<p>" + LURE + "</p>"),
    "lure-tags": (0x10, "", "<p>" + split_words(LURE, "<b></b>") + "</p>"),
    "lure-comments": (0x20, "", "<p>" + split_words(LURE, "<!-- x -->") + "</p>"),
    "lure-script": (0x20, "", "<p>" + split_words(LURE, "<script>x</script>") + "</p>"),
    "lure-entities": (0x10, "", "<p>" + LURE.replace("g", "&#103;").replace(" ", "&nbsp;") + "</p>"),
    "lure-hidden": (0x10, "", "<p>x<span style=\"display:none\">" + LURE + "</span></p>"),
    "lure-alt": (0x10, "", "<p><img alt=\"" + LURE + "\"></p>"),
    "lure-title": (0x10, "", "<title>" + LURE + "</title>"),
    "lure-qp": (0x11, "", "<p>" + LURE + "</p>"),
    "lure-base64": (0x12, "", "<p>" + LURE + "</p>"),
    "lure-latin1": (0x13, "", "<p>" + LURE.replace("a", "\u00e0") + "</p>"),
    "lure-first": (0x14, "", "<p>" + PRIZE + "</p>"),
    "lure-plain-part": (0x18, "", PRIZE),
    "lure-in-plain": (0x30, "\n" + LURE, CLEAN),
    "lure-zero-width": (0x10, "", "<p>" + split_words(LURE, "\u200b") + "</p>"),
    "short": (0x00, "", "<p>" + PRIZE + "</p>"),
    # Bit 6: 25 KB of clean HTML after the fuzzed text, read only in part (libxml2's push parser).
    "long-html-clean": (0x40, "", CLEAN),
    "long-html-lure-tags": (0x40, "", "<p>" + split_words(LURE, "<b></b>") + "</p>"),
    "long-html-comment-open": (0x41, "", "<p>Hello</p><!-- " + LURE),
    "long-html-hidden": (0x42, "", "<p>x<span style=\"display:none\">" + LURE + "</span></p>"),
}


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, (flags, plain, part) in SEEDS.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(bytes([flags]) + plain.encode() + b"\0" + part.encode())


if __name__ == "__main__":
    main()
