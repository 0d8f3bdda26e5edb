"""A throwaway Postfix on loopback with giftcard-milter in smtpd_milters, relaying to smtp-sink.

Everything lives under one temporary directory: Postfix's config, queue and data directories, its
maillog, the sink's dumped messages and the milter's config and log. Needs root (Postfix does).
"""
import contextlib
import email
import email.policy
import glob
import json
import os
import re
import shutil
import signal
import smtplib
import socket
import subprocess
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
MILTER = os.environ.get("GIFTCARD_MILTER_BIN", os.path.join(ROOT, ".build", "debug", "giftcard-milter"))
# This host's authserv-id: OpenDKIM writes its results under it, giftcard-milter trusts it, and Postfix's
# header_checks removes inbound copies that claim it.
TRUSTED = "mx.test.example"
# Domains the test DKIM key signs for; OpenDKIM finds their public keys in a file instead of DNS.
SIGNING_DOMAINS = ("amazon.com", "giftcard-desk.example", "gmail.com", "bigshop.example", "mybank.example")
SELECTOR = "gcmtest"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, timeout=20.0, process=None):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process exited with {process.returncode} before listening on {port}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout}s")


def wait_for_line(path, needle, timeout=30.0, process=None, what="process"):
    """Waits until the log at `path` holds `needle`: the daemon's own word that it is ready, where a port
    that answers might be anyone's."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with open(path, errors="replace") as f:
                if needle in f.read():
                    return
        except FileNotFoundError:
            pass
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode} before saying {needle!r}\n" + _tail(path))
        time.sleep(0.05)
    raise TimeoutError(f"{what} did not say {needle!r} within {timeout}s\n" + _tail(path))


def read_audit(path):
    """An audit log's records: one JSON object per line, blank lines skipped."""
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def wait_for_path(path, timeout=30.0, process=None, what="process", log=None):
    """Waits until a daemon has made its unix socket."""
    deadline = time.time() + timeout
    while not os.path.exists(path):
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode} before making {path}\n" + _tail(log))
        if time.time() > deadline:
            raise TimeoutError(f"{what} did not make {path} within {timeout}s\n" + _tail(log))
        time.sleep(0.05)


def _tail(path):
    if not path:
        return ""
    try:
        with open(path, errors="replace") as f:
            return f.read()[-3000:]
    except FileNotFoundError:
        return ""


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


class Milter:
    """giftcard-milter run, in the foreground, logging to a file."""

    def __init__(self, base, config_text=""):
        self.base = base
        self.port = free_port()
        self.config = os.path.join(base, "giftcard-milter.conf")
        self.log = os.path.join(base, "milter.log")
        with open(self.config, "w") as f:
            f.write(config_text)
        self.process = None

    def start(self):
        self._spawn(f"inet:{self.port}@127.0.0.1")

    def start_on(self, path):
        """Serves on a unix socket at `path` instead of the loopback port."""
        self._spawn(f"unix:{path}")

    def _spawn(self, socket_spec):
        """Starts the daemon and waits for its own word that it serves (logged after the socket is open
        and privileges are dropped), counting the lines of earlier runs into the same log."""
        before = self.log_text().count(" listening on ") if os.path.exists(self.log) else 0
        self.logfile = open(self.log, "a")
        self.process = subprocess.Popen([MILTER, "run", "--config", self.config, "--socket", socket_spec],
                                        stdout=self.logfile, stderr=subprocess.STDOUT)
        deadline = time.time() + 30
        while self.log_text().count(" listening on ") <= before:
            if self.process.poll() is not None or time.time() > deadline:
                raise RuntimeError(f"giftcard-milter did not start (exit {self.process.poll()})\n" + self.log_text()[-3000:])
            time.sleep(0.05)

    def stop(self):
        stop_process(self.process)
        if self.process:
            self.logfile.close()
        return self.process.returncode if self.process else None

    def log_text(self):
        with open(self.log, errors="replace") as f:
            return f.read()

    def wait_for_log(self, text, timeout=10.0):
        """True once `text` is in the daemon's log, False after `timeout` seconds."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            if text in self.log_text():
                return True
            time.sleep(0.1)
        return text in self.log_text()

    def audit_records(self):
        """The records of `AuditLog {base}/audit.jsonl`, the harness's usual configuration."""
        return read_audit(os.path.join(self.base, "audit.jsonl"))


_KEYS = {}


def dkim_keys():
    """One RSA key for the whole run (dknewkey), published for every signing domain in the file OpenDKIM's
    TestPublicKeys reads in place of DNS TXT records."""
    if not _KEYS:
        directory = tempfile.mkdtemp(prefix="gcm-dkim-")
        run(["dknewkey", os.path.join(directory, SELECTOR)])
        with open(os.path.join(directory, f"{SELECTOR}.dns")) as f:
            record = f.read().strip()
        keys = os.path.join(directory, "keys")
        with open(keys, "w") as f:
            for domain in SIGNING_DOMAINS:
                f.write(f"{SELECTOR}._domainkey.{domain} {record}\n")
        os.chmod(directory, 0o755)
        _KEYS.update(private=os.path.join(directory, f"{SELECTOR}.key"), public=keys)
    return _KEYS


def sign(message_bytes, domain="amazon.com"):
    """The message as `domain`'s mail servers would send it: with a real DKIM signature (dkimpy's dkimsign)."""
    signed = subprocess.run(["dkimsign", SELECTOR, domain, dkim_keys()["private"]],
                            input=message_bytes, capture_output=True, check=True).stdout
    return signed.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


class Authenticator:
    """Real OpenDKIM in verifying mode, the milter ahead of giftcard-milter: it inserts its
    Authentication-Results (authserv-id TRUSTED) at the top, as it does in production."""

    def __init__(self, base, unix=True):
        # A unix socket: its appearance is OpenDKIM's own sign that it listens (a port that answers might
        # be anyone's), and over loopback TCP libmilter peers wait on delayed ACKs.
        self.path = os.path.join(base, "opendkim.sock")
        self.spec = f"unix:{self.path}"
        listen = f"local:{self.path}\nUMask 000"
        self.config = os.path.join(base, "opendkim.conf")
        self.log = os.path.join(base, "opendkim.log")
        with open(self.config, "w") as f:
            f.write(f"Mode v\nSocket {listen}\nAuthservID {TRUSTED}\n"
                    f"TestPublicKeys {dkim_keys()['public']}\nSyslog no\nBackground no\nAlwaysAddARHeader yes\n")
        self.process = None

    def start(self):
        self.logfile = open(self.log, "a")
        self.process = subprocess.Popen(["opendkim", "-f", "-x", self.config], stdout=self.logfile, stderr=subprocess.STDOUT)
        wait_for_path(self.path, process=self.process, what="opendkim", log=self.log)

    def stop(self):
        stop_process(self.process)
        if self.process:
            self.logfile.close()


def stop_process(process, sig=signal.SIGTERM, timeout=15):
    """Stops a child: `sig`, then SIGKILL if it has not exited within `timeout` seconds."""
    stop_processes([process], sig, timeout)


def stop_processes(processes, sig=signal.SIGTERM, timeout=15):
    """Signals every running child at once, then waits for each (libmilter daemons take up to their poll
    interval to notice): stopping them one after another would add those waits up."""
    running = [p for p in processes if p is not None and p.poll() is None]
    for process in running:
        process.send_signal(sig)
    deadline = time.time() + timeout
    for process in running:
        try:
            process.wait(timeout=max(0.1, deadline - time.time()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# A loopback address of its own for the test DNS server (port 53 there is ours; 127.0.0.0/8 is all local).
DNS_ADDRESS = "127.83.0.1"


class Dns:
    """dnsmasq answering the DMARC records the tests publish (no upstream: every other name is refused),
    for OpenDMARC, which asks DNS for each From domain's policy."""

    def __init__(self, base, txt=(("_dmarc.amazon.com", "v=DMARC1; p=reject"),)):
        self.base = base
        self.log = os.path.join(base, "dnsmasq.log")
        self.resolv = os.path.join(base, "resolv.conf")
        with open(self.resolv, "w") as f:
            f.write(f"nameserver {DNS_ADDRESS}\noptions timeout:1 attempts:1\n")
        self.args = ["dnsmasq", "--keep-in-foreground", "--no-resolv", "--no-hosts", "--bind-interfaces",
                     f"--listen-address={DNS_ADDRESS}", "--port=53", "--user=root", f"--log-facility={self.log}"]
        self.args += [f"--txt-record={name},{value}" for name, value in txt]
        self.process = None

    def start(self):
        self.errors = open(self.log + ".stderr", "w")
        self.process = subprocess.Popen(self.args, stdout=self.errors, stderr=subprocess.STDOUT)
        # dnsmasq logs "started" once its socket is bound; a failure to bind goes to stderr.
        try:
            wait_for_line(self.log, "started, version", process=self.process, what="dnsmasq")
        except RuntimeError as failure:
            raise RuntimeError(f"{failure}\n{_tail(self.log + '.stderr')}") from None

    def stop(self):
        stop_process(self.process)
        if self.process:
            self.errors.close()


class Dmarc:
    """Real OpenDMARC after OpenDKIM: it reads OpenDKIM's results (trusted authserv-id) and the policy
    from the test DNS, and inserts its own `dmarc=` result at the top, as it does in production. It runs
    in a mount namespace of its own whose /etc/resolv.conf names the test DNS."""

    def __init__(self, base, dns):
        self.dns = dns
        self.path = os.path.join(base, "opendmarc.sock")
        self.spec = f"unix:{self.path}"
        self.config = os.path.join(base, "opendmarc.conf")
        self.log = os.path.join(base, "opendmarc.log")
        ignore = os.path.join(base, "opendmarc.ignore")
        with open(ignore, "w") as f:
            f.write("192.0.2.255\n")  # not 127.0.0.1, which OpenDMARC skips by default: the tests send from there
        with open(self.config, "w") as f:
            f.write(f"Socket local:{self.path}\nUMask 000\nAuthservID {TRUSTED}\nTrustedAuthservIDs {TRUSTED}\n"
                    f"IgnoreHosts {ignore}\nSyslog false\nBackground false\nSPFSelfValidate false\nFailureReports false\n"
                    f"RejectFailures false\nRequiredHeaders false\nDNSTimeout 2\nUserID root\n"
                    "PublicSuffixList /usr/share/publicsuffix/public_suffix_list.dat\n")
        self.process = None

    def start(self):
        self.logfile = open(self.log, "a")
        script = f"mount --bind {self.dns.resolv} /etc/resolv.conf && exec opendmarc -f -c {self.config}"
        self.process = subprocess.Popen(["unshare", "--mount", "--propagation", "private", "sh", "-c", script],
                                        stdout=self.logfile, stderr=subprocess.STDOUT)
        wait_for_path(self.path, process=self.process, what="opendmarc", log=self.log)

    def stop(self):
        stop_process(self.process)
        if self.process:
            self.logfile.close()


def shipped_header_checks(authserv_id=TRUSTED):
    """packaging/postfix/header_checks with the example id replaced, as a postmaster installs it."""
    with open(os.path.join(ROOT, "packaging", "postfix", "header_checks")) as f:
        return f.read().replace(r"mx\.example\.org", authserv_id.replace(".", r"\."))


class Postfix:
    """Postfix with OpenDKIM and then giftcard-milter in smtpd_milters, and the shipped header_checks
    rule; `authenticate=False` leaves both out, to show what they prevent."""

    def __init__(self, milter_port, extra_main="", dump=True, authenticate=True, unix_authenticator=True, dmarc=False):
        self.base = tempfile.mkdtemp(prefix="gcm-postfix-")
        os.chmod(self.base, 0o755)
        self.etc = os.path.join(self.base, "etc")
        self.queue = os.path.join(self.base, "queue")
        self.data = os.path.join(self.base, "data")
        self.maillog = os.path.join(self.base, "log", "maillog")
        for d in (self.etc, self.queue, self.data, os.path.dirname(self.maillog)):
            os.makedirs(d, exist_ok=True)
        shutil.chown(self.data, "postfix", "postfix")
        self.smtp_port = free_port()
        self.sink = SmtpSink(os.path.join(self.base, "sink"), dump=dump)
        self.milter_port = milter_port
        self.authenticator = Authenticator(self.base) if authenticate else None
        # OpenDMARC after OpenDKIM, as Debian's packages are usually stacked.
        self.dns = Dns(self.base) if authenticate and dmarc else None
        self.dmarc = Dmarc(self.base, self.dns) if self.dns else None
        if authenticate:
            with open(os.path.join(self.etc, "header_checks"), "w") as f:
                f.write(shipped_header_checks())
        self._write_config(extra_main)

    def _write_config(self, extra_main):
        front = "".join(f"{m.spec}, " for m in (self.authenticator, self.dmarc) if m)
        checks = f"header_checks = regexp:{self.etc}/header_checks" if self.authenticator else ""
        main_cf = f"""
compatibility_level = 3.6
queue_directory = {self.queue}
data_directory = {self.data}
mail_owner = postfix
setgid_group = postdrop
myhostname = mx.test.example
mydomain = test.example
myorigin = $myhostname
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject
relayhost = [127.0.0.1]:{self.sink.port}
smtp_dns_support_level = disabled
alias_maps =
alias_database =
local_recipient_maps =
biff = no
notify_classes =
maillog_file_prefixes = /var, /dev/stdout, /tmp, /dev/shm
maillog_file = {self.maillog}
smtpd_milters = {front}{{ {self.milter_port if isinstance(self.milter_port, str) else "inet:127.0.0.1:" + str(self.milter_port)}, default_action=accept }}
{checks}
milter_protocol = 6
milter_connect_timeout = 5s
message_size_limit = 80000000
smtp_connect_timeout = 5s
{extra_main}
"""
        with open(os.path.join(self.etc, "main.cf"), "w") as f:
            f.write(main_cf)
        # Debian's master.cf with chroot off and smtpd on our loopback port.
        lines = []
        with open("/etc/postfix/master.cf") as f:
            for line in f:
                fields = line.split()
                if len(fields) >= 8 and not line[0].isspace() and not line.startswith("#"):
                    if fields[0] == "smtp" and fields[1] == "inet":
                        fields[0] = f"127.0.0.1:{self.smtp_port}"
                    fields[4] = "n"
                    line = "  ".join(fields) + "\n"
                lines.append(line)
        with open(os.path.join(self.etc, "master.cf"), "w") as f:
            f.writelines(lines)
        self._allow_alternate_config()

    def _allow_alternate_config(self):
        """postfix -c DIR is allowed only for directories the default main.cf lists."""
        main = "/etc/postfix/main.cf"
        if not os.path.exists(main):
            shutil.copy("/etc/postfix/main.cf.proto", main) if os.path.exists("/etc/postfix/main.cf.proto") else open(main, "w").close()
        current = run(["postconf", "-h", "alternate_config_directories"]).stdout.strip()
        dirs = [d for d in current.replace(",", " ").split() if os.path.isdir(d)]
        if self.etc not in dirs:
            dirs.append(self.etc)
        run(["postconf", "-e", "alternate_config_directories = " + " ".join(dirs)])

    def start(self):
        for daemon in (self.authenticator, self.dns, self.dmarc):
            if daemon:
                daemon.start()
        self.sink.start()
        result = subprocess.run(["postfix", "-c", self.etc, "start"], capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"postfix start failed: {result.stdout}{result.stderr}\n{self.maillog_text()}")
        wait_for_port(self.smtp_port)

    def stop(self):
        subprocess.run(["postfix", "-c", self.etc, "stop"], capture_output=True)
        self.sink.stop()
        daemons = [d for d in (self.dmarc, self.dns, self.authenticator) if d]
        stop_processes([d.process for d in daemons])
        for daemon in daemons:
            daemon.stop()

    def cleanup(self):
        shutil.rmtree(self.base, ignore_errors=True)

    def maillog_text(self):
        try:
            with open(self.maillog, errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def delivered(self):
        return self.sink.delivered()

    def send(self, message_bytes, sender="sender@example.net", recipients=("alice@example.org",), timeout=30.0):
        """Sends a message over SMTP and returns what smtp-sink received (the message as bytes)."""
        before = set(self.delivered())
        with smtplib.SMTP("127.0.0.1", self.smtp_port, timeout=30) as smtp:
            smtp.sendmail(sender, list(recipients), message_bytes)
        return self.sink.first_new(before, timeout, lambda: "message not delivered to smtp-sink\n" + self.maillog_text()[-3000:])

    def send_many(self, messages_bytes, sender="sender@example.net", recipients=("alice@example.org",), timeout=120.0):
        """Sends many messages in one SMTP session and returns what smtp-sink received for each, in order
        (matched by Message-ID, which each message must have and which must differ)."""
        before = set(self.delivered())
        ids = [parse(m)["Message-ID"] for m in messages_bytes]
        assert all(ids) and len(set(ids)) == len(ids), "send_many needs a distinct Message-ID on each message"
        with smtplib.SMTP("127.0.0.1", self.smtp_port, timeout=60) as smtp:
            for m in messages_bytes:
                smtp.sendmail(sender, list(recipients), m)
        # All files first, then one check that none still grows (smtp-sink writes as the message arrives).
        deadline = time.time() + timeout
        new = []
        while time.time() < deadline:
            new = [p for p in self.delivered() if p not in before]
            if len(new) >= len(ids):
                break
            time.sleep(0.1)
        sizes = None
        while time.time() < deadline:
            current = [os.path.getsize(p) for p in new]
            if current == sizes:
                break
            sizes = current
            time.sleep(0.2)
        found = {}
        for path in new:
            with open(path, "rb") as f:
                data = strip_sink_envelope(f.read())
            found[parse(data)["Message-ID"]] = data
        missing = [i for i in ids if i not in found]
        if missing:
            raise TimeoutError(f"{len(missing)} of {len(ids)} messages not delivered\n" + self.maillog_text()[-3000:])
        return [found[i] for i in ids]


@contextlib.contextmanager
def milter_and_postfix(config, prefix="gcm-", authenticate=True, dmarc=False):
    """A milter with `config` (its base directory filled in for `{base}`) behind a Postfix; both stopped
    and cleaned up afterwards."""
    base = tempfile.mkdtemp(prefix=prefix)
    os.chmod(base, 0o755)
    milter = Milter(base, config.replace("{base}", base))
    postfix = None
    try:
        milter.start()
        postfix = Postfix(milter.port, authenticate=authenticate, dmarc=dmarc)
        postfix.start()
        yield milter, postfix
    finally:
        if postfix:
            postfix.stop()
        milter.stop()
        if postfix:
            postfix.cleanup()


class SmtpSink:
    """Postfix's smtp-sink on a loopback port, where the MTAs under test relay: it writes each message it
    receives to a file in `directory` (`dump=False`: it only accepts them)."""

    def __init__(self, directory, dump=True):
        self.directory = directory
        os.makedirs(directory, exist_ok=True)
        shutil.chown(directory, "postfix", "postfix")
        self.dump = dump
        self.port = free_port()
        self.process = None

    def start(self):
        dump = ["-d", os.path.join(self.directory, "%M%S.")] if self.dump else []
        self.process = subprocess.Popen(["smtp-sink", "-u", "postfix", *dump, f"127.0.0.1:{self.port}", "64"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(self.port, process=self.process)

    def stop(self):
        stop_process(self.process)

    def delivered(self):
        return sorted(glob.glob(os.path.join(self.directory, "*")), key=os.path.getmtime)

    def first_new(self, before, timeout, why):
        """The first message written that `before` did not list, once it stops growing, without the sink's
        envelope; `why()` says what went wrong if none comes within `timeout`."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            new = [p for p in self.delivered() if p not in before]
            if new:
                wait_until_stable(new[0])
                with open(new[0], "rb") as f:
                    return strip_sink_envelope(f.read())
            time.sleep(0.1)
        raise TimeoutError(why())


def wait_until_stable(path, quiet=0.3, timeout=60.0):
    """smtp-sink writes the dump as the message arrives: wait until its size stops changing."""
    deadline = time.time() + timeout
    size = -1
    while time.time() < deadline:
        current = os.path.getsize(path)
        if current == size:
            return
        size = current
        time.sleep(quiet)


def strip_sink_envelope(data):
    """What the sink received, as LF text: smtp-sink -d puts its own Received header (older versions:
    X-Client-Addr/X-Helo-Args/X-Mail-Args/X-Rcpt-Args lines) before the message, and one extra newline
    after it (seen with the milter out of the path too)."""
    data = data.replace(b"\r\n", b"\n")
    if data.endswith(b"\n\n"):
        data = data[:-1]
    lines = data.split(b"\n")
    i = 0
    while i < len(lines) and lines[i].startswith((b"X-Client-", b"X-Helo-", b"X-Mail-", b"X-Rcpt-")):
        i += 1
    if i == 0 and lines and lines[0].startswith(b"Received: ") and len(lines) > 1 and b"by smtp-sink" in lines[1]:
        i = 2
        while i < len(lines) and lines[i][:1] in (b" ", b"\t"):
            i += 1
    return b"\n".join(lines[i:])


def parse(message_bytes):
    return email.message_from_bytes(message_bytes, policy=email.policy.default)


def body_of(message_bytes):
    """The bytes after the header block."""
    sep = message_bytes.find(b"\n\n")
    return message_bytes[sep + 2:] if sep >= 0 else b""


# Debian's Sendmail (sendmail-bin), unpacked by scripts/install-deps beside Postfix: the two packages
# conflict (both provide mail-transport-agent), so it is run from where it was unpacked, not installed.
SENDMAIL = os.environ.get("GIFTCARD_TEST_SENDMAIL", "/opt/giftcard-milter-tests/sendmail/usr/libexec/sendmail/sendmail")
SENDMAIL_FRAGMENT = os.path.join(ROOT, "packaging", "sendmail", "giftcard-milter.mc")
PACKAGED_SENDMAIL_SOCKET = "local:/run/giftcard-milter/milter.sock"


class Sendmail:
    """Sendmail 8.17 with giftcard-milter wired in by the packaged .mc fragment (its socket moved into
    this instance's directory and, when given, an F= flag added), relaying everything to smtp-sink. The configuration is built with m4
    from Debian's sendmail-cf, as sendmailconfig builds it. Needs root (Sendmail's daemon runs as root)."""

    def __init__(self, flags="", milter_socket_path=None, extra_mc=""):
        # Under /run, not /tmp: Sendmail refuses a queue or milter socket below a world-writable directory.
        # The milter's socket is made here too (Milter.start_on(milter_socket_path)) unless one is given.
        self.base = tempfile.mkdtemp(prefix="gcm-sendmail-", dir="/run")
        os.chmod(self.base, 0o755)
        self.milter_socket_path = milter_socket_path or os.path.join(self.base, "milter.sock")
        milter_socket = f"local:{self.milter_socket_path}"
        self.queue = os.path.join(self.base, "mqueue")
        os.mkdir(self.queue, 0o700)
        self.sink = SmtpSink(os.path.join(self.base, "sink"))
        self.pid_file = os.path.join(self.base, "sendmail.pid")
        self.smtp_port = free_port()
        for name in ("statistics", "local-host-names"):
            open(os.path.join(self.base, name), "w").close()
        with open(SENDMAIL_FRAGMENT) as f:
            fragment = f.read()
        assert PACKAGED_SENDMAIL_SOCKET in fragment, "the packaged fragment names another socket"
        fragment = fragment.replace(PACKAGED_SENDMAIL_SOCKET, milter_socket)
        if flags:
            fragment = fragment.replace(f"S={milter_socket}, ", f"S={milter_socket}, F={flags}, ")
        mc = f"""divert(-1)
divert(0)dnl
include(`/usr/share/sendmail/cf/m4/cf.m4')dnl
VERSIONID(`giftcard-milter integration test')dnl
OSTYPE(`linux')dnl
define(`confDONT_PROBE_INTERFACES', `True')dnl
define(`QUEUE_DIR', `{self.queue}')dnl
define(`STATUS_FILE', `{self.base}/statistics')dnl
define(`confPID_FILE', `{self.pid_file}')dnl
define(`confCW_FILE', `-o {self.base}/local-host-names')dnl
define(`ALIAS_FILE', `')dnl
define(`confHELP_FILE', `')dnl
define(`confDEF_USER_ID', `nobody:nogroup')dnl
define(`confDOMAIN_NAME', `mx.test.example')dnl
define(`confDELIVERY_MODE', `background')dnl
define(`confTO_CONNECT', `5s')dnl
define(`SMART_HOST', `[127.0.0.1]')dnl
define(`RELAY_MAILER_ARGS', `TCP $h {self.sink.port}')dnl
define(`ESMTP_MAILER_ARGS', `TCP $h {self.sink.port}')dnl
DAEMON_OPTIONS(`Port={self.smtp_port}, Addr=127.0.0.1, Name=MTA')dnl
FEATURE(`promiscuous_relay')dnl
FEATURE(`accept_unresolvable_domains')dnl
FEATURE(`nocanonify')dnl
FEATURE(`no_default_msa')dnl
{extra_mc}{fragment}MAILER(`smtp')dnl
"""
        self.mc = os.path.join(self.base, "sendmail.mc")
        self.cf = os.path.join(self.base, "sendmail.cf")
        with open(self.mc, "w") as f:
            f.write(mc)
        with open(self.cf, "w") as f:
            subprocess.run(["m4", self.mc], stdout=f, check=True, timeout=60)
        self.process = None

    def start(self):
        self.sink.start()
        # Its own UTS namespace with a qualified host name: Sendmail sleeps a minute at start when the
        # machine's name is unqualified and does not resolve ("sleeping for retry"), as on many CI hosts.
        self.log = os.path.join(self.base, "sendmail.log")
        with open(self.log, "w") as log:
            self.process = subprocess.Popen(
                ["unshare", "--uts", "sh", "-c", 'hostname mx.test.example && exec "$0" -C "$1" -bD', SENDMAIL, self.cf],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        # Sendmail writes its pid file once its listening socket is open.
        wait_for_path(self.pid_file, process=self.process, what="sendmail", log=self.log)

    def stop(self):
        # The daemon and the children it forked for connections and deliveries: one process group.
        if self.process and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
        stop_process(self.process)
        self.sink.stop()

    def cleanup(self):
        shutil.rmtree(self.base, ignore_errors=True)

    def delivered(self):
        return self.sink.delivered()

    def send(self, message_bytes, sender="sender@example.net", recipients=("alice@example.org",), timeout=30.0, login=None):
        """Sends over SMTP (lines ended CRLF: Sendmail 8.17.1.9 refuses a bare LF), after SMTP AUTH when
        `login` is (user, password), and returns what smtp-sink received and Sendmail's reply to DATA."""
        before = set(self.delivered())
        data = re.sub(rb"\r?\n", b"\r\n", message_bytes)
        with smtplib.SMTP("127.0.0.1", self.smtp_port, timeout=60) as smtp:
            smtp.ehlo("client.test.example")
            if login:
                smtp.login(*login)
            # Every answer checked: F=T refuses at MAIL already, where smtplib's sendmail would hide it.
            for code, reply in [smtp.mail(sender)] + [smtp.rcpt(r) for r in recipients]:
                if code != 250:
                    raise smtplib.SMTPResponseException(code, reply)
            code, reply = smtp.data(data)
            if code != 250:
                raise smtplib.SMTPDataError(code, reply)
        delivered = self.sink.first_new(before, timeout, lambda: f"message not relayed to smtp-sink; queue: {os.listdir(self.queue)}")
        return delivered, reply.decode(errors="replace")
