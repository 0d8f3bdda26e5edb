"""The Debian package (issue 13): scripts/package-deb builds it from a release build with the Swift
runtime linked statically; lintian finds no error in it; it installs into a clean Debian 12 root made
with debootstrap (no Swift toolchain there, only what its Depends bring), where the installed binary
passes configtest with the packaged configuration, serves the packaged socket to a real Postfix, and a
crash prints a symbolicated backtrace; purge leaves nothing behind; dpkg-statoverride is respected.
Needs root, network access to Debian's mirror, debootstrap and lintian (scripts/install-deps)."""
import grp
import os
import pwd
import re
import resource
import shutil
import signal
import smtplib
import subprocess
import tempfile
import threading
import time

import pytest

from harness import Postfix, ROOT, Sendmail, body_of, parse
import messages

pytestmark = pytest.mark.root

NAME = "giftcard-milter"
MIRROR = os.environ.get("GIFTCARD_DEBIAN_MIRROR", "http://deb.debian.org/debian")
# What purge may leave: dpkg's, apt's and logrotate's own books and logs, and the chroot's scratch space.
UNTRACKED = ("/proc", "/dev", "/tmp", "/run", "/var/lib/dpkg", "/var/lib/apt", "/var/lib/logrotate", "/var/cache", "/var/log/apt",
             "/var/log/dpkg.log", "/var/log/alternatives.log", "/etc/ld.so.cache")


def run(command, timeout=600, **kw):
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, **kw)
    assert result.returncode == 0, f"{command}: exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def package():
    out = tempfile.mkdtemp(prefix="gcm-deb-")
    started = time.time()
    result = run([os.path.join(ROOT, "scripts", "package-deb"), out], timeout=3600)
    deb = result.stdout.strip().splitlines()[-1]
    ddeb = deb.replace(f"{NAME}_", f"{NAME}-dbgsym_").replace(".deb", ".ddeb")
    print(f"package-deb: {time.time() - started:.0f} s, {os.path.getsize(deb) / 1e6:.1f} MB .deb, "
          f"{os.path.getsize(ddeb) / 1e6:.1f} MB .ddeb")
    yield deb, ddeb
    shutil.rmtree(out, ignore_errors=True)


class Chroot:
    """A minimal Debian 12 made by debootstrap, with /proc and /dev bound in for the daemon."""

    def __init__(self, include=()):
        self.base = tempfile.mkdtemp(prefix="gcm-root-", dir="/var/tmp")
        os.chmod(self.base, 0o755)
        self.path = os.path.join(self.base, "root")
        self.mounts = []
        started = time.time()
        extra = [f"--include={','.join(include)}"] if include else []
        run(["debootstrap", "--variant=minbase", *extra, "bookworm", self.path, MIRROR], timeout=1800)
        print(f"debootstrap: {time.time() - started:.0f} s")
        # The host's sources (security and point updates too), so versioned Depends resolve as they do here.
        host_sources = "/etc/apt/sources.list.d/debian.sources"
        if os.path.exists(host_sources):
            shutil.copy(host_sources, self.file("/etc/apt/sources.list.d/debian.sources"))
            open(self.file("/etc/apt/sources.list"), "w").close()
        for point in ("proc", "dev"):
            run(["mount", "--bind", f"/{point}", self.file(f"/{point}")])
            self.mounts.append(self.file(f"/{point}"))

    def file(self, path):
        return os.path.join(self.path, path.lstrip("/"))

    def sh(self, script, timeout=600, check=True):
        env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "DEBIAN_FRONTEND": "noninteractive", "LC_ALL": "C.UTF-8"}
        result = subprocess.run(["chroot", self.path, "/bin/sh", "-ec", script], capture_output=True, text=True,
                                timeout=timeout, env=env)
        if check:
            assert result.returncode == 0, f"{script}: exit {result.returncode}\n{result.stdout}\n{result.stderr}"
        return result

    def snapshot(self):
        """Every path with its owner and mode, but dpkg's and apt's books, and the passwd and group files."""
        paths = {}
        for directory, dirs, files in os.walk(self.path):
            inside = "/" + os.path.relpath(directory, self.path).lstrip(".")
            dirs[:] = [d for d in dirs if not os.path.join(inside, d).startswith(UNTRACKED)]
            for entry in dirs + files:
                full, name = os.path.join(directory, entry), os.path.join(inside, entry).replace("//", "/")
                if name.startswith(UNTRACKED):
                    continue
                st = os.lstat(full)
                paths[name] = (st.st_uid, st.st_gid, st.st_mode)
        accounts = {f: open(self.file(f"/etc/{f}")).read() for f in ("passwd", "group", "shadow", "gshadow")}
        return paths, accounts

    def unbind(self):
        """Takes /proc and /dev away again (systemd-nspawn brings its own)."""
        for mount in reversed(self.mounts):
            run(["umount", mount])
        self.mounts = []

    def destroy(self):
        # Whatever still runs inside (a daemon a failed assertion left) goes first.
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                if os.readlink(f"/proc/{pid}/root") == self.path:
                    os.kill(int(pid), signal.SIGKILL)
            except OSError:
                pass
        for mount in reversed(self.mounts):
            subprocess.run(["umount", "-l", mount], capture_output=True)
        with open("/proc/mounts") as f:
            assert not any(self.path in line for line in f), "a bind mount is still in the chroot; not removing it"
        shutil.rmtree(self.base, ignore_errors=True)


def prepare(root, package, postfix=True):
    """Postfix as on the host (same ids), so the host's Postfix reaches the socket the package sets up for
    the root's; then the package's Depends, read off the .deb, so that only the package itself changes
    the root between the snapshots. `postfix=False`: a host without Postfix (the Sendmail test)."""
    deb, ddeb = package
    for path in (deb, ddeb):
        shutil.copy(path, root.file("/root/"))
    depends = run(["dpkg-deb", "-f", deb, "Depends"]).stdout
    names = " ".join(re.sub(r"\([^)]*\)", "", d).strip() for d in depends.split(","))
    setup = ""
    if postfix:
        user, group = pwd.getpwnam("postfix"), grp.getgrnam("postfix")
        setup = (f"groupadd --system -g {group.gr_gid} postfix\n"
                 f"useradd --system -u {user.pw_uid} -g postfix -d /var/spool/postfix -s /usr/sbin/nologin postfix\n"
                 "echo 'postfix postfix/main_mailer_type select No configuration' | debconf-set-selections\n")
        names = "postfix " + names
    root.sh(f"{setup}apt-get update -q\napt-get install -y -q --no-install-recommends logrotate {names}", timeout=1800)
    assert root.sh("command -v swift || echo none").stdout.strip() == "none"


@pytest.fixture(scope="module")
def chroot(package):
    root = Chroot()
    prepare(root, package)
    yield root
    root.destroy()


def test_lintian_finds_no_error(package):
    deb, _ = package
    result = subprocess.run(["lintian", "--no-tag-display-limit", deb], capture_output=True, text=True, timeout=600)
    print(result.stdout)
    assert not [line for line in result.stdout.splitlines() if line.startswith("E:")], result.stdout
    assert result.returncode == 0, result.stdout + result.stderr


def test_depends_names_every_library_the_binary_links(package, tmp_path):
    """Every shared library the installed binary needs comes from a package its Depends names."""
    deb, _ = package
    run(["dpkg-deb", "-x", deb, str(tmp_path)])
    binary = tmp_path / "usr" / "sbin" / NAME
    needed = re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", run(["readelf", "-d", str(binary)]).stdout)
    assert needed and not [n for n in needed if "swift" in n.lower() or "Foundation" in n], needed
    depends = {re.sub(r"\([^)]*\)", "", d).strip() for d in run(["dpkg-deb", "-f", deb, "Depends"]).stdout.split(",")}
    for library in needed:
        owner = run(["dpkg", "-S", f"*/{library}"]).stdout.split(":")[0]
        assert owner in depends, f"{library} comes from {owner}, not in Depends {sorted(depends)}"
    assert "publicsuffix" in depends and "adduser" in depends


def test_installs_runs_and_purges_without_a_trace(package, chroot):
    before = chroot.snapshot()
    chroot.sh(f"dpkg -i /root/{os.path.basename(package[0])} /root/{os.path.basename(package[1])}")

    # The user, its groups, and the directories with their owners and modes.
    ids = chroot.sh(f"id {NAME}").stdout
    assert f"({NAME})" in ids and "(postfix)" in ids, ids
    listing = chroot.sh(f"stat -c '%n %U %G %a' /var/lib/{NAME} /var/log/{NAME} /etc/{NAME}/{NAME}.conf").stdout
    assert f"/var/lib/{NAME} {NAME} {NAME} 750" in listing and f"/var/log/{NAME} {NAME} adm 750" in listing, listing
    # One version for the binary, the package and its changelog: this build's, from git (scripts/version).
    version = run([os.path.join(ROOT, "scripts", "version")]).stdout.strip()
    assert chroot.sh(f"{NAME} --version").stdout.strip() == run(["dpkg-deb", "-f", package[0], "Version"]).stdout.strip() == version
    assert chroot.sh(f"zcat /usr/share/doc/{NAME}/changelog.gz").stdout.startswith(f"{NAME} ({version}) "), version
    configtest = chroot.sh(f"{NAME} configtest --config /etc/{NAME}/{NAME}.conf")
    assert "configuration OK" in configtest.stdout, configtest.stdout + configtest.stderr
    assert os.path.exists(chroot.file(f"/usr/share/man/man8/{NAME}.8.gz"))
    assert os.path.exists(chroot.file(f"/usr/share/man/man5/{NAME}.conf.5.gz"))
    assert os.path.exists(chroot.file(f"/usr/share/doc/{NAME}/examples/main.cf.snippet"))
    unit = chroot.file(f"/lib/systemd/system/{NAME}.service")
    security = run(["systemd-analyze", "security", "--offline=true", f"--root={chroot.path}", f"{NAME}.service"]).stdout
    match = re.search(r"Overall exposure level for giftcard-milter\.service: ([0-9.]+) (\w+)", security)
    assert match and float(match.group(1)) < 2.0, security
    print(f"installed unit: exposure {match.group(1)} {match.group(2)}")
    with open(unit) as f:
        unit_text = f.read()
    assert f"ExecStart=/usr/sbin/{NAME} run" in unit_text and f"swift-backtrace=/usr/libexec/{NAME}/swift-backtrace" in unit_text

    # As the unit starts it: the daemon as its user in the socket directory postinst made, the packaged
    # configuration unchanged; the host's Postfix (chroot off, same postfix ids) uses the socket.
    assert chroot.sh(f"stat -c '%U %G %a' /var/spool/postfix/{NAME}").stdout.split() == [NAME, "postfix", "750"]
    environment = re.search(r"^Environment=(SWIFT_BACKTRACE=\S+)", unit_text, re.M).group(1)
    log = open(os.path.join(chroot.base, "milter.log"), "w+")
    # setpriv, not runuser: it execs, so the signal below reaches the daemon itself.
    daemon = subprocess.Popen(["chroot", chroot.path, "setpriv", f"--reuid={NAME}", f"--regid={NAME}", "--init-groups",
                               "env", environment,
                               f"/usr/sbin/{NAME}", "run", "--config", f"/etc/{NAME}/{NAME}.conf"],
                              stdout=log, stderr=subprocess.STDOUT,
                              # The crash drill below ends it with SIGSEGV: no core file left behind.
                              preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_CORE, (0, 0)))
    socket_path = chroot.file(f"/var/spool/postfix/{NAME}/milter.sock")
    deadline = time.time() + 20
    while not os.path.exists(socket_path):
        assert daemon.poll() is None and time.time() < deadline, open(log.name).read()
        time.sleep(0.1)
    st = os.stat(socket_path)
    assert oct(st.st_mode & 0o777) == "0o660" and st.st_gid == grp.getgrnam("postfix").gr_gid
    postfix = Postfix(f"unix:{socket_path}", authenticate=False)
    postfix.start()
    audit_path = chroot.file(f"/var/log/{NAME}/audit.jsonl")
    try:
        scam = parse(postfix.send(messages.spoofed_amazon_callback()))
        plain = parse(postfix.send(messages.ordinary()))
        assert scam["X-GiftCard-Verdict"] == "suspicious", scam
        assert plain["X-GiftCard-Verdict"] == "none", plain
        with open(audit_path) as f:
            audit = f.read().splitlines()
        assert len(audit) == 2 and '"suspicious"' in audit[0], audit
        # The packaged logrotate rule, forced: the old log moves aside, the new one has the rule's owner
        # and mode, and the daemon writes the next record into it without a signal.
        chroot.sh(f"logrotate -f /etc/logrotate.d/{NAME}")
        assert chroot.sh(f"stat -c '%U %G %a' /var/log/{NAME}/audit.jsonl").stdout.split() == [NAME, "adm", "640"]
        assert os.path.getsize(audit_path) == 0 and os.path.exists(audit_path + ".1")
        assert parse(postfix.send(messages.ordinary()))["X-GiftCard-Verdict"] == "none"
        with open(audit_path) as f:
            assert len(f.read().splitlines()) == 1
    finally:
        postfix.stop()
        postfix.cleanup()

    # A crash under the packaged settings prints a backtrace with our function names (from -dbgsym),
    # then ends the process with the signal. SIGSEGV sent with kill(2) stands in for a fault: the
    # runtime's handler reports it the same way, and the daemon's wrapper takes the default action after.
    daemon.send_signal(signal.SIGSEGV)
    try:
        ended = daemon.wait(timeout=60)
    except subprocess.TimeoutExpired:
        daemon.kill()
        daemon.wait(timeout=60)
        ended = None
    log.seek(0)
    crash = log.read()
    log.close()
    assert "Program crashed" in crash and re.search(r"\) \+ \d+ in giftcard-milter", crash), crash[-4000:]
    assert ended == -signal.SIGSEGV, f"the daemon did not end after its crash report (returncode {ended})"

    chroot.sh(f"dpkg --purge {NAME}-dbgsym {NAME}")
    after = chroot.snapshot()
    left = sorted(set(after[0]) - set(before[0]))
    changed = sorted(p for p in set(before[0]) & set(after[0]) if before[0][p] != after[0][p])
    assert not left, f"purge left {left}"
    assert not changed, f"purge changed owners or modes of {changed}"
    for name, text in before[1].items():
        assert after[1][name] == text, f"/etc/{name} differs after purge"


def test_purge_removes_statoverrides_and_install_respects_them(package, chroot):
    """A postmaster's owner and mode for the state directory survive install; purge takes the override
    away with the directory (an override naming a deleted user would stop dpkg)."""
    chroot.sh(f"dpkg --purge {NAME}-dbgsym {NAME}")  # whatever the test before left
    chroot.sh(f"dpkg-statoverride --add root root 0700 /var/lib/{NAME}")
    chroot.sh(f"dpkg -i /root/{os.path.basename(package[0])}")
    assert chroot.sh(f"stat -c '%U %G %a' /var/lib/{NAME}").stdout.split() == ["root", "root", "700"]
    assert chroot.sh(f"stat -c '%U %G %a' /var/log/{NAME}").stdout.split() == [NAME, "adm", "750"]
    chroot.sh(f"dpkg --purge {NAME}")
    assert NAME not in chroot.sh("dpkg-statoverride --list").stdout
    assert not os.path.exists(chroot.file(f"/var/lib/{NAME}"))


def repackaged(deb, version, directory):
    """The package with another Version and nothing else changed (dpkg-deb -R, then -b)."""
    os.makedirs(directory, exist_ok=True)
    tree = os.path.join(directory, "tree")
    run(["dpkg-deb", "-R", deb, tree])
    control = os.path.join(tree, "DEBIAN", "control")
    with open(control) as f:
        text = f.read()
    with open(control, "w") as f:
        f.write(re.sub(r"^Version: .*$", f"Version: {version}", text, flags=re.M))
    out = os.path.join(directory, os.path.basename(deb).replace("_amd64", "~earlier_amd64"))
    run(["dpkg-deb", "--root-owner-group", "-Zxz", "--build", tree, out])
    shutil.rmtree(tree)
    return out


class Booted:
    """A Debian 12 root with systemd, booted by systemd-nspawn (sharing the host's network and paths),
    so the packaged unit runs under the real systemd with its sandbox."""

    def __init__(self, root):
        self.root = root
        root.unbind()
        self.log = open(os.path.join(root.base, "nspawn.log"), "w")
        self.nspawn = subprocess.Popen(["systemd-nspawn", "--register=no", "--keep-unit", "--quiet", "-D", root.path,
                                        "-b", "--console=passive"], stdout=self.log, stderr=subprocess.STDOUT)
        deadline, self.init = time.time() + 60, None
        while time.time() < deadline and self.init is None:
            time.sleep(0.5)
            assert self.nspawn.poll() is None, open(self.log.name).read()
            children = run(["ps", "-o", "pid=,comm=", "--ppid", str(self.nspawn.pid)]).stdout.split()
            self.init = children[0] if children[1:2] == ["systemd"] else None
        assert self.init, "the container's systemd did not start"
        state = ""
        while time.time() < deadline and state not in ("running", "degraded"):
            time.sleep(0.5)
            state = self.sh("systemctl is-system-running || true").stdout.strip()
        assert state in ("running", "degraded"), state

    def sh(self, script, timeout=300, check=True):
        result = subprocess.run(["nsenter", "-t", self.init, "-a", "/bin/sh", "-ec", script], capture_output=True,
                                text=True, timeout=timeout)
        if check:
            assert result.returncode == 0, f"{script}: exit {result.returncode}\n{result.stdout}\n{result.stderr}"
        return result

    def journal(self):
        return self.sh(f"journalctl -u {NAME} --no-pager -o cat").stdout

    def wait_for(self, predicate, what, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if predicate():
                return
            time.sleep(0.5)
        raise AssertionError(f"{what}, after {timeout} s:\n{self.journal()[-4000:]}")

    def halt(self):
        if self.nspawn.poll() is None:
            self.nspawn.send_signal(signal.SIGTERM)  # nspawn asks the container's systemd to power off
            try:
                self.nspawn.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.nspawn.kill()
                self.nspawn.wait()
        self.log.close()


def test_the_installed_unit_runs_reloads_and_reports_a_crash_under_systemd(package):
    """The package in a root booted with systemd: postinst enables and starts the unit; the daemon runs
    with no capabilities, no new privileges and its system-call filter; a real Postfix gets verdicts
    through the packaged socket; `systemctl reload` applies a changed policy; an upgrade from an earlier
    version keeps the edited conffile, the state and the banner key, restarts the unit once and loses or
    defers no mail sent during it; a crash is written to the journal with function names and systemd
    restarts the daemon; purge removes the unit."""
    root = Chroot(include=("systemd", "systemd-sysv", "dbus"))
    booted = None
    try:
        prepare(root, package)
        booted = Booted(root)
        active = lambda: booted.sh(f"systemctl is-active {NAME} || true").stdout.strip() == "active"
        # First an earlier version: this build repackaged with a lower Version (no second compile).
        version = run(["dpkg-deb", "-f", package[0], "Version"]).stdout.strip()
        earlier = repackaged(package[0], f"{version}~earlier", root.file("/root/earlier"))
        booted.sh(f"dpkg -i /root/earlier/{os.path.basename(earlier)}")
        socket_path = root.file(f"/var/spool/postfix/{NAME}/milter.sock")
        # Active comes at fork (Type=simple); the socket once the daemon itself runs.
        booted.wait_for(lambda: active() and os.path.exists(socket_path), "the unit is not serving after install")
        pid = booted.sh(f"systemctl show -p MainPID --value {NAME}").stdout.strip()
        assert booted.sh(f"cat /proc/{pid}/comm").stdout.strip() == NAME
        status = booted.sh(f"cat /proc/{pid}/status").stdout
        assert re.search(r"^CapEff:\s+0+$", status, re.M) and re.search(r"^NoNewPrivs:\s+1$", status, re.M), status
        assert re.search(r"^Seccomp:\s+2$", status, re.M), status

        postfix = Postfix(f"unix:{socket_path}", authenticate=False)
        postfix.start()
        try:
            assert parse(postfix.send(messages.spoofed_amazon_callback()))["X-GiftCard-Verdict"] == "suspicious"
            conf = root.file(f"/etc/{NAME}/{NAME}.conf")
            with open(conf) as f:
                text = f.read()
            assert "#OnSuspicious       banner" in text
            with open(conf, "w") as f:
                f.write(text.replace("#OnSuspicious       banner", "OnSuspicious       reject"))
            booted.sh(f"systemctl reload {NAME}")
            booted.wait_for(lambda: "SIGHUP: configuration reloaded" in booted.journal(), "no reload in the journal")
            try:
                postfix.send(messages.spoofed_amazon_callback())
                raise AssertionError("the scam was delivered after OnSuspicious reject was reloaded")
            except smtplib.SMTPDataError as error:
                assert error.smtp_code == 550, error

            # The upgrade to this build, with the edited conffile, state and a banner key in place, and
            # mail flowing through Postfix the whole time.
            as_daemon = f"setpriv --reuid={NAME} --regid={NAME} --init-groups {NAME}"
            booted.sh(f"{as_daemon} incident add --config /etc/{NAME}/{NAME}.conf --sender-domain upgrade.example "
                      "--explanation 'kept across the upgrade'")
            key = open(root.file(f"/var/lib/{NAME}/banner.key"), "rb").read()
            starts = booted.journal().count(" listening on ")
            sent, failures, stop = [], [], threading.Event()

            def keep_sending():
                while not stop.is_set():
                    try:
                        sent.append(parse(postfix.send(messages.ordinary())))
                    except Exception as error:  # a deferral or a loss: the test fails on it below
                        failures.append(repr(error))
                    time.sleep(0.1)

            def until_sent(count, what):
                deadline = time.time() + 120
                while len(sent) < count and not failures and time.time() < deadline:
                    time.sleep(0.1)
                assert len(sent) >= count, (what, failures, len(sent))

            sender = threading.Thread(target=keep_sending)
            sender.start()
            try:
                # Mail flows before, through and after the upgrade: counted by deliveries, not by time.
                until_sent(1, "no mail delivered before the upgrade")
                booted.sh(f"dpkg -i /root/{os.path.basename(package[0])} /root/{os.path.basename(package[1])}")
                booted.wait_for(lambda: active() and os.path.exists(socket_path)
                                and booted.journal().count(" listening on ") > starts, "the upgraded unit is not serving")
                until_sent(len(sent) + 2, "no mail delivered after the upgrade")
            finally:
                stop.set()
                sender.join(timeout=120)
            assert not failures, failures
            assert booted.journal().count(" listening on ") == starts + 1, "the unit was not restarted exactly once"
            assert booted.sh(f"dpkg-query -W -f '${{Version}}' {NAME}").stdout == version
            assert booted.sh(f"{NAME} --version").stdout.strip() == version
            with open(conf) as f:
                assert "OnSuspicious       reject" in f.read(), "the upgrade replaced the edited conffile"
            assert open(root.file(f"/var/lib/{NAME}/banner.key"), "rb").read() == key
            assert "upgrade.example" in booted.sh(f"{as_daemon} incident list --config /etc/{NAME}/{NAME}.conf").stdout
            try:
                postfix.send(messages.spoofed_amazon_callback())
                raise AssertionError("the scam was delivered after the upgrade, with OnSuspicious reject configured")
            except smtplib.SMTPDataError as error:
                assert error.smtp_code == 550, error
        finally:
            postfix.stop()
            postfix.cleanup()

        # The main process only: signalling the whole cgroup would hit the backtracer the runtime starts too.
        pid = booted.sh(f"systemctl show -p MainPID --value {NAME}").stdout.strip()
        booted.sh(f"systemctl kill --kill-whom=main -s SEGV {NAME}")
        booted.wait_for(lambda: re.search(r"\) \+ \d+ in giftcard-milter", booted.journal()), "no symbolicated backtrace")
        assert "Program crashed" in booted.journal()
        # The report ends the process (no KILL needed), and systemd starts a new one.
        booted.wait_for(lambda: active() and booted.sh(f"systemctl show -p MainPID --value {NAME}").stdout.strip() not in (pid, "0"),
                        "the crashed daemon was not restarted", timeout=90)

        booted.sh(f"dpkg --purge {NAME}-dbgsym {NAME}")
        assert not os.path.exists(root.file(f"/lib/systemd/system/{NAME}.service"))
        assert booted.sh(f"systemctl is-active {NAME} || true").stdout.strip() != "active"
        assert not os.path.exists(root.file(f"/var/spool/postfix/{NAME}"))
    finally:
        if booted:
            booted.halt()
        root.destroy()


@pytest.mark.sendmail
def test_on_a_sendmail_host_without_postfix_the_unit_serves_with_the_packaged_drop_in(package):
    """A booted root with no Postfix (no such user, group or directory), the package installed, and the
    Sendmail wiring the package documents: the conffile's socket in the unit's runtime directory, no
    SocketGroup, the drop-in from the package's examples. The unit starts; Debian's Sendmail, wired by the
    packaged .mc fragment, gets verdicts through that socket."""
    root = Chroot(include=("systemd", "systemd-sysv", "dbus"))
    booted = sendmail = None
    try:
        prepare(root, package, postfix=False)
        assert root.sh("getent group postfix || echo none").stdout.strip() == "none"
        root.sh(f"dpkg -i /root/{os.path.basename(package[0])}")
        conf = root.file(f"/etc/{NAME}/{NAME}.conf")
        with open(conf) as f:
            text = f.read()
        text = re.sub(r"^Socket\s.*$", f"Socket              local:/run/{NAME}/milter.sock", text, count=1, flags=re.M)
        text, removed = re.subn(r"^SocketGroup\s.*\n", "", text, flags=re.M)
        assert removed == 1, text
        with open(conf, "w") as f:
            f.write(text)
        drop_in = root.file(f"/etc/systemd/system/{NAME}.service.d/sendmail.conf")
        os.makedirs(os.path.dirname(drop_in))
        shutil.copy(root.file(f"/usr/share/doc/{NAME}/examples/sendmail/sendmail.conf"), drop_in)

        booted = Booted(root)
        # The container's /run, seen from the host through its init's root.
        socket_path = f"/proc/{booted.init}/root/run/{NAME}/milter.sock"
        active = lambda: booted.sh(f"systemctl is-active {NAME} || true").stdout.strip() == "active"
        booted.wait_for(lambda: active() and os.path.exists(socket_path), "the unit is not serving on a host without Postfix")
        assert "sendmail.service" in booted.sh(f"systemctl show -p Before --value {NAME}").stdout
        pid = booted.sh(f"systemctl show -p MainPID --value {NAME}").stdout.strip()
        groups = booted.sh(f"ps -o supgrp= -p {pid}").stdout
        assert "postfix" not in groups, groups

        sendmail = Sendmail(milter_socket_path=socket_path)
        sendmail.start()
        delivered, _ = sendmail.send(messages.spoofed_amazon_callback())
        assert parse(delivered)["X-GiftCard-Verdict"] == "suspicious"
        assert b"Warning: Amazon did not send this gift-card message." in body_of(delivered)
        delivered, _ = sendmail.send(messages.ordinary())
        assert parse(delivered)["X-GiftCard-Verdict"] == "none"
        # The journal names each message by Sendmail's queue id (the i macro the milter asked for).
        assert re.search(r"^\w{14}: verdict=suspicious, .* action=banner, banner=placed$", booted.journal(), re.M), booted.journal()
    finally:
        if sendmail:
            sendmail.stop()
            sendmail.cleanup()
        if booted:
            booted.halt()
        root.destroy()
