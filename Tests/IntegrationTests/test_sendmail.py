"""giftcard-milter behind Debian's Sendmail 8.17 (sendmail-bin), wired in by the packaged .mc fragment
(packaging/sendmail/giftcard-milter.mc): what Sendmail relays to smtp-sink, what it answers the client,
and what the audit log records of the macros the milter asks Sendmail for."""
import contextlib
import os
import re
import shutil
import smtplib
import subprocess
import tempfile

import pytest

from harness import TRUSTED, Milter, Sendmail, body_of, parse
import messages

pytestmark = [pytest.mark.root, pytest.mark.sendmail]


@contextlib.contextmanager
def sendmail_and_milter(config="", flags="", milter_running=True, extra_mc=""):
    """Sendmail whose milter socket lives in its own (non-world-writable) directory, and the milter on it."""
    sendmail = Sendmail(flags=flags, extra_mc=extra_mc)
    base = tempfile.mkdtemp(prefix="gcm-milter-")
    milter = Milter(base, f"TrustedAuthservIDs {TRUSTED}\nStateDirectory {base}/state\nAuditLog {base}/audit.jsonl\n{config}")
    try:
        if milter_running:
            milter.start_on(sendmail.milter_socket_path)
        sendmail.start()
        yield sendmail, milter
    finally:
        sendmail.stop()
        if milter_running:
            milter.stop()
        sendmail.cleanup()


@pytest.fixture(scope="module")
def banner_stack():
    with sendmail_and_milter() as stack:
        yield stack


def test_a_spoofed_callback_scam_is_bannered_suspicious(banner_stack):
    sendmail, milter = banner_stack
    delivered, _ = sendmail.send(messages.spoofed_amazon_callback())
    message = parse(delivered)
    assert message.get_all("X-GiftCard-Verdict") == ["suspicious"]
    assert "callback-phone" in str(message["X-GiftCard-Report"])
    text = body_of(delivered).decode("utf-8", errors="replace")
    assert "Warning: Amazon did not send this gift-card message." in text, text[:500]
    [record] = [r for r in milter.audit_records() if r["subject"] == message["Subject"]]
    assert (record["verdict"], record["action"], record["banner"]) == ("suspicious", "banner", "placed")


def test_a_plain_message_is_none_and_its_body_untouched(banner_stack):
    sendmail, _ = banner_stack
    original = messages.ordinary()
    delivered, _ = sendmail.send(original)
    assert parse(delivered).get_all("X-GiftCard-Verdict") == ["none"]
    assert body_of(delivered) == body_of(re.sub(rb"\r?\n", b"\n", original))


def test_the_macros_the_milter_asks_for_come_from_sendmail(banner_stack):
    # No confMILTER_MACROS_* in the fragment: the milter asks for i and {client_addr} (and {auth_authen})
    # when it connects, and Sendmail sends them. i is Sendmail's queue id, the one in its 250 reply.
    sendmail, milter = banner_stack
    marked = messages.ordinary().replace(b"Subject: lunch tomorrow?", b"Subject: macros from Sendmail", 1)
    _, reply = sendmail.send(marked)
    queue_id = re.search(r"^2\.0\.0 (\S+) Message accepted", reply).group(1)
    [record] = [r for r in milter.audit_records() if r["subject"] == "macros from Sendmail"]
    assert record["queue_id"] == queue_id, (record, reply)
    assert record["client_address"] == "127.0.0.1", record
    assert queue_id in milter.log_text()  # the log line names the message by it too


def test_on_suspicious_reject_answers_550():
    with sendmail_and_milter("OnSuspicious reject\n") as (sendmail, _):
        with pytest.raises(smtplib.SMTPDataError) as refused:
            sendmail.send(messages.spoofed_amazon_callback(), timeout=5)
        assert refused.value.smtp_code == 550
        assert b"5.7.1" in refused.value.smtp_error and b"giftcard-milter" in refused.value.smtp_error
        delivered, _ = sendmail.send(messages.ordinary())
        assert parse(delivered)["X-GiftCard-Verdict"] == "none"


def test_with_the_milter_down_mail_flows_unscanned_as_the_fragment_documents():
    # The packaged fragment has no F=: Sendmail goes on without the filter.
    with sendmail_and_milter(milter_running=False) as (sendmail, _):
        assert not os.path.exists(sendmail.milter_socket_path)
        delivered, _ = sendmail.send(messages.spoofed_amazon_callback())
        assert parse(delivered).get_all("X-GiftCard-Verdict") is None
        assert b"Warning:" not in body_of(delivered)


def test_with_the_milter_down_and_f_t_mail_is_deferred_not_lost():
    # F=T, the fragment's documented alternative: the client is told to try again later (4xx).
    with sendmail_and_milter(flags="T", milter_running=False) as (sendmail, _):
        with pytest.raises(smtplib.SMTPResponseException) as deferred:
            sendmail.send(messages.spoofed_amazon_callback(), timeout=5)
        assert 400 <= deferred.value.smtp_code < 500, deferred.value
        assert sendmail.delivered() == []


# Cyrus SASL reads the configuration of the application "Sendmail" from here; Sendmail is setgid and
# clears its environment, so no variable can point elsewhere. The test writes it and puts back what was.
SASL_CONF = "/etc/sasl2/Sendmail.conf"


@contextlib.contextmanager
def sasl_user(user, password, realm="mx.test.example"):
    """A SASL database holding one user, and Sendmail's SASL configuration naming it; Sendmail reads both
    when it starts, so this comes first."""
    directory = tempfile.mkdtemp(prefix="gcm-sasl-", dir="/run")
    database = os.path.join(directory, "sasldb2")
    subprocess.run(["saslpasswd2", "-p", "-c", "-f", database, "-u", realm, user], input=password.encode(),
                   check=True, timeout=30)
    os.chmod(database, 0o600)  # Sendmail refuses a group- or world-readable SASL database
    before = open(SASL_CONF, "rb").read() if os.path.exists(SASL_CONF) else None
    made_directory = not os.path.isdir(os.path.dirname(SASL_CONF))
    os.makedirs(os.path.dirname(SASL_CONF), exist_ok=True)
    with open(SASL_CONF, "w") as f:
        f.write(f"pwcheck_method: auxprop\nauxprop_plugin: sasldb\nsasldb_path: {database}\nmech_list: PLAIN LOGIN\n")
    try:
        yield
    finally:
        shutil.rmtree(directory, ignore_errors=True)
        if before is None:
            os.remove(SASL_CONF)
            if made_directory:
                os.rmdir(os.path.dirname(SASL_CONF))
        else:
            with open(SASL_CONF, "wb") as f:
                f.write(before)


def test_an_smtp_authenticated_client_is_exempt_through_the_auth_authen_macro():
    # ExemptAuthenticated: the same scam gets the banner from an anonymous client and headers only from
    # one that logged in, which the milter knows only from Sendmail's {auth_authen}.
    auth = "define(`confAUTH_MECHANISMS', `PLAIN LOGIN')dnl\nTRUST_AUTH_MECH(`PLAIN LOGIN')dnl\n"
    with sasl_user("alice", "correct horse"), \
            sendmail_and_milter("ExemptAuthenticated yes\n", extra_mc=auth) as (sendmail, milter):
        anonymous, _ = sendmail.send(messages.spoofed_amazon_callback())
        authenticated, _ = sendmail.send(messages.spoofed_amazon_callback(), login=("alice", "correct horse"))
        assert parse(anonymous)["X-GiftCard-Verdict"] == parse(authenticated)["X-GiftCard-Verdict"] == "suspicious"
        assert b"Warning: Amazon did not send" in body_of(anonymous)
        assert b"Warning:" not in body_of(authenticated)
        actions = [(r["action"], r["banner"]) for r in milter.audit_records()]
        assert actions == [("banner", "placed"), ("header", "none")], actions
        assert milter.log_text().count("exempt=authenticated") == 1, milter.log_text()
