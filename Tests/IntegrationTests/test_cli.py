"""The command line as a postmaster uses it: check, configtest, and run's socket and pid file handling."""
import grp
import json
import os
import signal
import socket
import stat
import subprocess
import tempfile
import time

import pytest

from harness import MILTER, ROOT, shipped_header_checks, stop_process, wait_for_line
import messages


def cli(*args, stdin=None):
    return subprocess.run([MILTER, *args], input=stdin, capture_output=True, timeout=60)


def write(directory, name, data):
    path = os.path.join(directory, name)
    with open(path, "wb" if isinstance(data, bytes) else "w") as f:
        f.write(data)
    return path


def test_the_version_is_this_builds_from_git():
    """Every build says what it is (issue 23): --version is scripts/version's answer, built from
    `git describe` against the release tag (0.1.0+N.gHASH N commits after v0.1.0), so a later build sorts
    later; without a reachable tag, VERSION and the commit count."""
    said = cli("--version").stdout.decode().strip()
    assert said == subprocess.run([os.path.join(ROOT, "scripts", "version")], capture_output=True, text=True).stdout.strip()
    described = subprocess.run(["git", "-C", ROOT, "describe", "--tags", "--long", "--match", "v[0-9]*"], capture_output=True, text=True)
    if described.returncode == 0:
        tag, count, commit = described.stdout.strip().rsplit("-", 2)
        assert said == (tag[1:] if count == "0" else f"{tag[1:]}+{count}.{commit}"), (said, described.stdout)
    else:
        count = subprocess.run(["git", "-C", ROOT, "rev-list", "--count", "HEAD"], capture_output=True, text=True).stdout.strip()
        with open(os.path.join(ROOT, "VERSION")) as f:
            assert said.startswith(f"{f.read().strip()}+{count}.g"), said


def test_check_prints_verdicts_and_json():
    d = tempfile.mkdtemp()
    scam = write(d, "scam.eml", messages.spoofed_amazon_callback())
    plain = write(d, "plain.eml", messages.ordinary())
    text = cli("check", scam, plain)
    assert text.returncode == 0, text.stderr
    out = text.stdout.decode()
    assert f"{scam}: verdict=suspicious" in out and f"{plain}: verdict=none" in out
    js = cli("check", "--json", scam)
    record = json.loads(js.stdout.decode().strip())
    assert record["verdict"] == "suspicious" and record["brand"] == "amazon" and "callback-phone" in record["reasons"]


def test_check_reads_standard_input():
    result = cli("check", "-", stdin=messages.arabic_spoof())
    assert result.returncode == 0
    assert "-: verdict=suspicious" in result.stdout.decode() and "lang=ar" in result.stdout.decode()


def test_check_uses_configured_trust():
    d = tempfile.mkdtemp()
    conf = write(d, "c.conf", "TrustedAuthservIDs mx.test.example\n")
    # As a mailbox keeps it: this host's verifier wrote its result on top of the signed message.
    msg = write(d, "real.eml", b"Authentication-Results: mx.test.example; dkim=pass header.d=amazon.com\r\n"
                + messages.authenticated_amazon())
    assert b"verdict=genuine" in cli("check", "--config", conf, msg).stdout
    # Without that trust the same message is not believed: no `genuine`, the missing pass in the reasons
    # (it asks nothing of the reader, so the missing pass is no verdict by itself).
    untrusted = cli("check", "--config", write(d, "e.conf", ""), msg).stdout
    assert b"verdict=genuine" not in untrusted and b"brand-not-authenticated" in untrusted, untrusted


def test_check_unreadable_file_fails_clearly():
    result = cli("check", "/nonexistent/message.eml")
    assert result.returncode == 66
    assert b"/nonexistent/message.eml: cannot read" in result.stderr


def test_configtest_accepts_packaged_config():
    conf = os.path.join(ROOT, "packaging", "giftcard-milter.conf")
    result = cli("configtest", "--config", conf)
    assert result.returncode == 0, result.stderr
    assert b"configuration OK" in result.stdout


def test_configtest_names_the_bad_key():
    d = tempfile.mkdtemp()
    conf = write(d, "bad.conf", "Socket inet:8894@127.0.0.1\nSyslogFacility kernel-of-doom\n")
    result = cli("configtest", "--config", conf)
    assert result.returncode != 0
    assert f"{conf}:2: SyslogFacility:".encode() in result.stderr


def test_configtest_warns_about_an_unusable_state_store():
    """A damaged state file is named by configtest (it does not stop the daemon, which then keeps
    correlation in memory and says so in its log at start)."""
    d = tempfile.mkdtemp()
    state = os.path.join(d, "state")
    os.makedirs(state)
    write(state, "state.sqlite", b"SQLite format 3\0" + b"\xa5" * 8192)
    conf = write(d, "ok.conf", f"StateDirectory {state}\n")
    result = cli("configtest", "--config", conf)
    assert result.returncode == 0, result.stderr
    assert b"warning: correlation state" in result.stderr and b"unusable" in result.stderr, result.stderr
    healthy = tempfile.mkdtemp()
    result = cli("configtest", "--config", write(d, "fresh.conf", f"StateDirectory {healthy}\n"))
    assert b"correlation state" not in result.stderr and b"StateDirectory" not in result.stderr


@pytest.mark.postfix
def test_configtest_says_whether_postfix_removes_forged_authentication_results():
    """Without the shipped header_checks rule a sender's Authentication-Results with a trusted id reaches
    the milters; configtest asks Postfix (postconf, postmap) and says what that would let through."""
    d = tempfile.mkdtemp()
    rule = shipped_header_checks("mx.test.example")
    write(d, "header_checks", rule)
    write(d, "main.cf", f"compatibility_level = 3.6\nsetgid_group = postdrop\nmail_owner = postfix\n"
                        f"header_checks = regexp:{d}/header_checks\n")
    conf = write(d, "g.conf", "TrustedAuthservIDs mx.test.example, mx2.test.example\n")
    result = cli("configtest", "--config", conf, "--postfix-config", d)
    assert result.returncode == 0
    err = result.stderr.decode()
    assert "does not remove inbound Authentication-Results for mx2.test.example" in err and "packaging/postfix/header_checks" in err
    assert "mx.test.example," not in err.split("for ", 1)[1].split(":")[0]
    write(d, "header_checks", rule + rule.replace(r"mx\.test", r"mx2\.test"))
    result = cli("configtest", "--config", conf, "--postfix-config", d)
    assert result.returncode == 0 and "header_checks" not in result.stderr.decode()
    assert "header_checks removes inbound Authentication-Results for mx.test.example, mx2.test.example" in result.stdout.decode()


def test_configtest_refuses_unknown_users_and_groups_and_prints_every_key():
    d = tempfile.mkdtemp()
    for line, what in [("UserID no-such-user-gcm", b"no user named 'no-such-user-gcm'"),
                       ("UserID nobody:no-such-group-gcm", b"no group named 'no-such-group-gcm'"),
                       ("SocketGroup no-such-group-gcm", b"no group named 'no-such-group-gcm'")]:
        result = cli("configtest", "--config", write(d, "users.conf", line + "\n"))
        assert result.returncode != 0, line
        assert what in result.stderr, result.stderr
    result = cli("configtest", "--config", write(d, "nets.conf", "InternalNetworks 10.0.0.0/8, 192.0.2.1\nBannerHelpURL https://help.example.org/#gc\n"))
    assert result.returncode == 0, result.stderr
    for key in [b"InternalNetworks 10.0.0.0/8, 192.0.2.1\n", b"BannerHelpURL https://help.example.org/#gc\n",
                b"BannerDirectory ", b"MaximumBannerBytes "]:
        assert key in result.stdout, key


def test_unwritable_audit_log_is_reported_at_start():
    """Not at the first message: the postmaster starting the daemon sees it."""
    from harness import Milter
    base = tempfile.mkdtemp(prefix="gcm-audit-")
    milter = Milter(base, f"StateDirectory {base}/state\nAuditLog {base}/no-such-dir/audit.jsonl\n")
    milter.start()
    try:
        deadline = time.time() + 10
        while "cannot open the audit log" not in milter.log_text() and time.time() < deadline:
            time.sleep(0.1)
        assert "cannot open the audit log" in milter.log_text(), milter.log_text()[-2000:]
    finally:
        milter.stop()


def test_a_short_banner_key_is_named_for_what_it_is():
    from harness import Milter
    base = tempfile.mkdtemp(prefix="gcm-key-")
    os.makedirs(os.path.join(base, "state"))
    write(os.path.join(base, "state"), "banner.key", b"short")
    milter = Milter(base, f"StateDirectory {base}/state\n")
    milter.start()
    try:
        log = milter.log_text()
        assert "banner.key holds 5 bytes, fewer than the 16 a key needs" in log, log
        assert "File exists" not in log
    finally:
        milter.stop()


@pytest.mark.root
def test_state_directory_symlink_is_not_given_away():
    """Root gives StateDirectory to UserID at start, but never through a symbolic link the daemon's user
    could have put there."""
    from harness import Milter
    base = tempfile.mkdtemp(prefix="gcm-link-")
    os.chmod(base, 0o755)
    target = os.path.join(base, "precious")
    os.makedirs(target)
    link = os.path.join(base, "state")
    os.symlink(target, link)
    milter = Milter(base, f"StateDirectory {link}\nUserID nobody\n")
    milter.start()
    try:
        assert os.stat(target).st_uid == 0, "the link's target was given to the daemon's user"
        assert "is not a directory (a symbolic link?)" in milter.log_text()
    finally:
        milter.stop()


def test_crlf_config_keeps_every_key():
    d = tempfile.mkdtemp()
    conf = write(d, "crlf.conf", "UserID nobody\r\nTrustedAuthservIDs mx.crlf.example\r\nSyslog no\r\n")
    result = cli("configtest", "--config", conf)
    assert result.returncode == 0, result.stderr
    assert b"UserID nobody\n" in result.stdout
    assert b"TrustedAuthservIDs mx.crlf.example\n" in result.stdout


def test_run_refuses_bad_config_before_listening():
    d = tempfile.mkdtemp()
    conf = write(d, "bad.conf", "NoSuchKey 1\n")
    result = cli("run", "--config", conf)
    assert result.returncode != 0
    assert b"NoSuchKey: unknown key" in result.stderr


def test_run_on_unix_socket_with_mode_and_pidfile():
    d = tempfile.mkdtemp()
    sock = os.path.join(d, "gcm.sock")
    pid = os.path.join(d, "gcm.pid")
    stale = socket.socket(socket.AF_UNIX)  # a stale socket left by a crashed run is removed
    stale.bind(sock)
    stale.close()
    conf = write(d, "c.conf", f"Socket unix:{sock}\nSocketMode 0600\nPidFile {pid}\n")
    proc = subprocess.Popen([MILTER, "run", "--config", conf], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 20
        while time.time() < deadline and not (os.path.exists(pid) and stat.S_ISSOCK(os.stat(sock).st_mode)):
            assert proc.poll() is None, proc.stdout.read()
            time.sleep(0.1)
        assert stat.S_ISSOCK(os.stat(sock).st_mode)
        assert stat.S_IMODE(os.stat(sock).st_mode) == 0o600
        with open(pid) as f:
            assert int(f.read().strip()) == proc.pid
        with socket.socket(socket.AF_UNIX) as s:
            s.connect(sock)
    finally:
        stop_process(proc, timeout=20)
    assert proc.returncode == 0
    assert not os.path.exists(pid), "pid file removed on a clean stop"
    assert not os.path.exists(sock), "socket removed on a clean stop"


@pytest.mark.root
def test_run_drops_privileges():
    """Readiness from the daemon itself: it logs "listening on" after dropping privileges (a port that
    answers could be anyone's, or answer before the drop)."""
    d = tempfile.mkdtemp()
    os.chmod(d, 0o755)
    conf = write(d, "c.conf", f"UserID nobody:nogroup\nStateDirectory {d}/state\n")
    log = os.path.join(d, "milter.log")
    with open(log, "w") as out:
        proc = subprocess.Popen([MILTER, "run", "--config", conf, "--socket", f"unix:{d}/milter.sock"], stdout=out,
                                stderr=subprocess.STDOUT)
    try:
        wait_for_line(log, " listening on ", timeout=30, process=proc, what="giftcard-milter")
        with open(f"/proc/{proc.pid}/status") as f:
            status = f.read()
        uid_line = next(line for line in status.splitlines() if line.startswith("Uid:"))
        gid_line = next(line for line in status.splitlines() if line.startswith("Gid:"))
        assert all(int(x) == 65534 for x in uid_line.split()[1:]), uid_line
        assert all(int(x) == grp.getgrnam("nogroup").gr_gid for x in gid_line.split()[1:]), gid_line
    finally:
        stop_process(proc, timeout=20)


@pytest.mark.root
def test_pid_file_and_socket_are_removed_after_dropping_privileges():
    """After UserID the daemon removes its pid file and socket from a directory its user may write, and
    says at start when it could not (a root-owned directory)."""
    import pwd
    nobody = pwd.getpwnam("nobody")
    for owned in (True, False):
        d = tempfile.mkdtemp()
        os.chmod(d, 0o755)
        run_dir = os.path.join(d, "run")
        os.makedirs(run_dir)
        if owned:
            os.chown(run_dir, nobody.pw_uid, nobody.pw_gid)
        sock, pid = os.path.join(run_dir, "gcm.sock"), os.path.join(run_dir, "gcm.pid")
        conf = write(d, "c.conf", f"Socket unix:{sock}\nPidFile {pid}\nUserID nobody\nStateDirectory {d}/state\n")
        proc = subprocess.Popen([MILTER, "run", "--config", conf], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline = time.time() + 20
        while time.time() < deadline and not (os.path.exists(pid) and os.path.exists(sock)):
            assert proc.poll() is None
            time.sleep(0.1)
        time.sleep(0.5)
        proc.send_signal(signal.SIGTERM)
        output = proc.communicate(timeout=30)[0]
        assert proc.returncode == 0, output
        if owned:
            assert not os.path.exists(pid) and not os.path.exists(sock), output
            assert "stays after a stop" not in output
        else:
            assert f"{pid}: its directory is not writable by nobody, so it stays after a stop" in output, output


@pytest.mark.postfix
def test_the_postfix_snippet_is_safe_to_paste_on_a_host_with_giftcard_milter_alone():
    """Pasted into a Postfix configuration as it is, the snippet names only giftcard-milter's socket,
    with default_action=accept, and Postfix reads it without a warning."""
    import shutil
    import tempfile
    etc = tempfile.mkdtemp(prefix="gcm-snippet-")
    try:
        shutil.copy("/etc/postfix/master.cf", etc)
        with open(os.path.join(ROOT, "packaging", "postfix", "main.cf.snippet")) as f:
            snippet = f.read()
        with open(os.path.join(etc, "main.cf"), "w") as f:
            f.write("compatibility_level = 3.6\n" + snippet)
        result = subprocess.run(["postconf", "-c", etc, "-h", "smtpd_milters"], capture_output=True, text=True, timeout=30)
        assert result.returncode == 0 and "warning" not in result.stderr, result.stderr
        milters = result.stdout.strip()
        assert milters == "{ unix:giftcard-milter/milter.sock, default_action=accept }", milters
        assert "8891" not in milters and "8893" not in milters and "opendkim" not in milters
    finally:
        shutil.rmtree(etc, ignore_errors=True)


def test_configtest_reads_dev_null_as_an_empty_file_and_names_the_real_cause_of_a_read_failure():
    """Defect: `configtest --config /dev/null` said "cannot read the file (Inappropriate ioctl for device)",
    an errno some earlier call had left. An empty file is the embedded defaults; a failure names its cause."""
    result = cli("configtest", "--config", "/dev/null")
    assert result.returncode == 0 and b"configuration OK" in result.stdout, result.stderr
    d = tempfile.mkdtemp()
    result = cli("configtest", "--config", d)
    assert result.returncode != 0 and b"cannot read the file (Is a directory)" in result.stderr, result.stderr
    result = cli("configtest", "--config", os.path.join(d, "missing.conf"))
    assert b"cannot read the file (No such file or directory)" in result.stderr, result.stderr
