"""The authentication boundary, proved with generated forms rather than the ones we thought of.

The property: whatever Authentication-Results giftcard-milter believes, the shipped Postfix header_checks
rules remove before any milter sees the message. Forms are generated here, independently of the milter's
own list (`AuthservIDForgeries`): the authserv-id plain, cased, quoted, escaped, as RFC 2047 encoded-words,
with comments before or attached, folded, versioned, with look-alike and invisible characters, each with a
DKIM or DMARC pass for amazon.com. For each, `giftcard-milter check` says whether the milter believes it and
`postmap -h -q -` says whether Postfix removes it. Then every form, as the first header of a spoofed Amazon
callback scam, goes through a real Postfix with real OpenDKIM and OpenDMARC in front: each is `suspicious`
with its banner.
"""
import base64
import concurrent.futures
import json
import os
import random
import re
import subprocess
import tempfile

import pytest

from harness import MILTER, TRUSTED, milter_and_postfix, parse, shipped_header_checks, sign
import messages

pytestmark = pytest.mark.root

CLAIMS = (
    "dkim=pass header.d=amazon.com header.s=sel1",
    "dkim=pass (good signature) header.i=@amazon.com",
    "dmarc=pass header.from=amazon.com",
    "dmarc=pass (p=reject dis=none) header.from=amazon.com",
)
# A DKIM-Signature naming amazon.com, so a believed dkim=pass would have the signature it claims (the
# milter's other check): only the authserv-id stands between these forms and a pass.
SIGNATURE = "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=amazon.com; s=sel1; h=from:subject; bh=AAAA; b=BBBB"


def encoded_q(text):
    return "=?us-ascii?q?" + "".join(c if c.isalnum() else "=%02X" % ord(c) for c in text) + "?="


def encoded_b(text, charset="utf-8"):
    return f"=?{charset}?b?" + base64.b64encode(text.encode()).decode() + "?="


def id_forms(ident):
    """The authserv-id written every way a sender might try (some are simply other ids)."""
    cyrillic = str.maketrans({"e": "\u0435", "x": "\u0445", "a": "\u0430", "o": "\u043e", "p": "\u0440"})
    fullwidth = "".join(chr(ord(c) - 0x21 + 0xFF01) if c.isalnum() else c for c in ident)
    first, rest = ident[0], ident[1:]
    return [
        ident, ident.upper(), ident.title(), ident.swapcase(),
        f'"{ident}"', f'"{first}\\{rest}"', f'" {ident}"', f"\\{ident}", ident.replace(".", "\\."),
        encoded_q(ident), encoded_b(ident), encoded_b(ident, "iso-8859-1"), f"{encoded_q(first)}{rest}",
        f"{first}{encoded_q(rest)}",
        ident.translate(cyrillic), ident.replace("e", "\u0435", 1), fullwidth, f"{first}\u200b{rest}",
        f"{first}\u00ad{rest}", f"\ufeff{ident}", ident.replace(".", "\u2024"), ident + ".", ident + "x",
        "x" + ident, ident + "-relay", ident.replace(".", ". "), "\u00a0" + ident,
    ]


BEFORE = ("", " ", "  ", "\t", "\n\t", "\n ", " \n\t", "(c)", " (c)", " (c) ", " (a (b) c)", " ()", "(\n\tc) ", " \\(c\\) ")
AFTER = ("", " ", "\t", "\n\t", "(c)", " (c)", " 1", "/1", " /1", "\\", ".", "=?x?q?y?=", '"x"', "\u00a0", "\u200b", ":", "@x",
         "\n\t(c)")
SEPARATOR = (";", " ;", "\n\t;", ";\n\t", "; ")


def variants(count=1200, seed=20261206):
    """Every id form and every decoration once beside the plain rest, then a seeded random sample of the
    whole product (about 70,000 combinations)."""
    ids = id_forms(TRUSTED)
    base = ("", TRUSTED, "", ";", CLAIMS[0])
    seen, out = set(), []

    def add(before, ident, after, sep, claim):
        value = f"{before}{ident}{after}{sep}{claim}"
        if value not in seen:
            seen.add(value)
            out.append(value)

    for ident in ids:
        for claim in CLAIMS:
            add(base[0], ident, base[2], base[3], claim)
    for before in BEFORE:
        add(before, *base[1:])
    for after in AFTER:
        add(base[0], base[1], after, base[3], base[4])
    for sep in SEPARATOR:
        add(base[0], base[1], base[2], sep, base[4])
    rng = random.Random(seed)
    while len(out) < count:
        add(rng.choice(BEFORE), rng.choice(ids), rng.choice(AFTER), rng.choice(SEPARATOR), rng.choice(CLAIMS))
    return out


def scam(value, newline="\n"):
    """The seed incident's wording from Amazon's own address with a number to call, unsigned, with the
    forged header on top where this host's verifier puts its results."""
    body = messages.message(
        "Your Amazon.com order of Google Play gift cards",
        "Dear Amazon customer,\nThank you for purchasing Google Play gift cards from Amazon.com. Order total: $500.00.\n"
        "If you did not make this purchase, call us immediately at +1 (888) 555-0134 to cancel.\n",
        '"Amazon.com" <auto-confirm@amazon.com>').replace(b"\r\n", b"\n")
    head = f"Authentication-Results:{value}\n{SIGNATURE}\n".replace("\n", newline).encode()
    return head + body.replace(b"\n", newline.encode())


@pytest.fixture(scope="module")
def judged():
    """Each variant as a message file, the milter's view of it and Postfix's answer to it."""
    d = tempfile.mkdtemp(prefix="gcm-boundary-")
    rules = os.path.join(d, "header_checks")
    with open(rules, "w") as f:
        f.write(shipped_header_checks())
    with open(os.path.join(d, "main.cf"), "w") as f:
        f.write("compatibility_level = 3.6\n")
    config = os.path.join(d, "g.conf")
    with open(config, "w") as f:
        f.write(f"TrustedAuthservIDs {TRUSTED}\n")
    values = variants()
    files = []
    for i, value in enumerate(values):
        path = os.path.join(d, f"{i:05}.eml")
        with open(path, "wb") as f:
            f.write(scam(value))
        files.append(path)
    out = subprocess.run([MILTER, "check", "--view", "--config", config, *files], capture_output=True, check=True)
    views = {}
    for line in out.stdout.decode().splitlines():
        obj = json.loads(line)
        views[obj["file"]] = obj

    def removed(path):
        with open(path, "rb") as f:
            answer = subprocess.run(["postmap", "-c", d, "-h", "-q", "-", f"regexp:{rules}"], stdin=f, capture_output=True)
        assert answer.returncode in (0, 1), answer.stderr
        return b"\tIGNORE" in answer.stdout

    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(removed, files))
    return [(value, views[path], gone) for value, path, gone in zip(values, files, answers)]


def believed(view):
    return any(r["plain_id"] and r["authserv_id"] == TRUSTED for r in view["authentication_results"])


def test_every_form_the_milter_believes_postfix_removes(judged):
    """The proof: no generated form is both believed by the milter and kept by the shipped rules."""
    holes = [repr(value) for value, view, gone in judged if believed(view) and not gone]
    assert not holes, f"{len(holes)} forms believed but not removed, e.g. {holes[:5]}"
    passed = [repr(value) for value, view, gone in judged if "brand-authenticated" in view["verdict"]["reasons"] and not gone]
    assert not passed, f"scams passed as the brand's mail: {passed[:5]}"
    # Not vacuous: the plain forms are believed (and removed), and so make the scam the brand's mail.
    plain = [view for value, view, gone in judged if believed(view)]
    assert len(plain) >= 40, len(plain)
    assert all("brand-authenticated" in v["verdict"]["reasons"] for v in plain if "dkim=pass" in json.dumps(v["authentication_results"]))


def test_forms_postfix_keeps_are_refused_and_the_scam_stays_suspicious(judged):
    """What reaches the milter past the rules is never believed; a disguised trusted id is named."""
    kept = [(value, view) for value, view, gone in judged if not gone]
    assert kept, "every generated form was removed: nothing left to show the milter refuses the rest"
    for value, view in kept:
        assert not believed(view), repr(value)
        assert view["verdict"]["verdict"] == "suspicious", (repr(value), view["verdict"])
    # Disguises of the trusted id itself (a look-alike letter, an encoded-word) are marked as forged.
    for value, view, gone in judged:
        disguises = (encoded_b(TRUSTED), TRUSTED.replace("e", "\u0435", 1), f'"{TRUSTED}"')
        if any(value.lstrip(" \t\n").startswith(form + end) for form in disguises for end in (";", " ", "\t", "\n")):
            assert "forged-authentication" in view["verdict"]["reasons"], repr(value)


def test_configtest_tries_the_forged_forms_against_postfix():
    """configtest asks Postfix about each forged form of each id: the shipped rules remove all of them;
    the rule shipped before this release kept the attached comment and the encoded-word, and says so."""
    d = tempfile.mkdtemp(prefix="gcm-boundary-")
    with open(os.path.join(d, "main.cf"), "w") as f:
        f.write(f"compatibility_level = 3.6\nheader_checks = regexp:{d}/header_checks\n")
    config = os.path.join(d, "g.conf")
    with open(config, "w") as f:
        f.write(f"TrustedAuthservIDs {TRUSTED}\n")
    escaped = TRUSTED.replace(".", r"\.")
    for rules, kept in ((shipped_header_checks(), None),
                        (f"/^Authentication-Results:[[:space:]]*{escaped}([[:space:];]|$)/ IGNORE\n", "comment attached")):
        with open(os.path.join(d, "header_checks"), "w") as f:
            f.write(rules)
        result = subprocess.run([MILTER, "configtest", "--config", config, "--postfix-config", d], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        if kept is None:
            assert "header_checks removes inbound Authentication-Results for mx.test.example in all" in result.stdout
            assert "header_checks" not in result.stderr
        else:
            assert "keeps disguised inbound Authentication-Results" in result.stderr and kept in result.stderr
            assert "encoded-word (Q)" in result.stderr


@pytest.fixture(scope="module")
def dmarc_stack():
    """Postfix with real OpenDKIM, then real OpenDMARC (DMARC policy for amazon.com from a test DNS), the
    shipped header_checks rules, then giftcard-milter."""
    with milter_and_postfix(f"TrustedAuthservIDs {TRUSTED}\nStateDirectory {{base}}/state\n", prefix="gcm-dmarc-",
                            dmarc=True) as (milter, postfix):
        yield postfix


def results_of(delivered):
    return [" ".join(v.split()) for k, v in delivered.items() if k.lower() == "authentication-results"]


def test_a_real_dmarc_pass_is_believed_through_opendkim_and_opendmarc(dmarc_stack):
    """The control: Amazon's signed mail gets OpenDKIM's dkim=pass and OpenDMARC's dmarc=pass (its policy
    from the test DNS), and the milter believes them."""
    delivered = parse(dmarc_stack.send(messages.authenticated_amazon(), recipients=["dana@example.org"]))
    results = results_of(delivered)
    assert any("dkim=pass" in r for r in results), results
    assert any("dmarc=pass" in r and "header.from=amazon.com" in r for r in results), results
    assert delivered["X-GiftCard-Verdict"] == "genuine", delivered["X-GiftCard-Report"]
    assert "brand-authenticated" in str(delivered["X-GiftCard-Report"])


@pytest.mark.parametrize("value", [f"{TRUSTED}(c); dmarc=pass header.from=amazon.com",
                                   f"{encoded_q(TRUSTED)}; dmarc=pass header.from=amazon.com"],
                         ids=["comment-attached", "encoded-word"])
def test_the_two_reported_forgeries_are_refused_through_postfix(dmarc_stack, value):
    """The two forms the report found delivered `genuine`, score 10, no banner."""
    delivered = parse(dmarc_stack.send(scam(" " + value, newline="\r\n")))
    assert delivered["X-GiftCard-Verdict"] == "suspicious"
    assert not any(TRUSTED + "(c)" in r or "=?us-ascii" in r for r in results_of(delivered)), "the forged header was not removed"
    # OpenDMARC found no aligned signature for amazon.com (p=reject): its own result is a failure.
    assert any("dmarc=fail" in r for r in results_of(delivered)), results_of(delivered)
    assert has_banner(delivered)


def test_every_generated_form_is_refused_through_postfix(dmarc_stack):
    """A sample of the generated forms (every id form and decoration, and random combinations) through
    the whole stack: each scam is `suspicious` and carries the banner."""
    values = variants(count=400, seed=7)
    for value, data in zip(values, dmarc_stack.send_many([scam(value, newline="\r\n") for value in values])):
        delivered = parse(data)
        assert delivered["X-GiftCard-Verdict"] == "suspicious", (repr(value), delivered["X-GiftCard-Report"])
        assert "brand-authenticated" not in str(delivered["X-GiftCard-Report"]), repr(value)
        assert has_banner(delivered), repr(value)


def has_banner(delivered):
    """The banner's reference line stands above the scam's own first words."""
    text = delivered.get_body(("plain",)).get_content()
    return bool(re.search(r"giftcard-milter ref [0-9a-f]{16}", text.split("Dear Amazon customer")[0]))
