#!/usr/bin/env python3
"""The server's least privilege (chat_server/sandbox.h).

- Started as root it binds (a port below 1024 too), then runs as nobody
  (or --user): uid, gid and groups all changed, no capabilities left;
  --user of no one or of root is refused. Anyone else keeps their user.
- Sandboxed by default: no_new_privs and a seccomp filter
  (/proc/PID/status "Seccomp: 2"); --no-sandbox has neither.
- A forbidden call from the running loop (execve, through the test
  hook) kills it with SIGSYS and one line naming the call; without the
  sandbox the same call runs.
- A sanitizer build has no filter (LeakSanitizer's exit check could not
  run under one; chat_server/sandbox.c): there the filter's parts are
  checked to be off, and the rest as above.
- Landlock, where the kernel has it: a file in the transcript's
  directory may be written, one elsewhere may not, though its mode
  allows it.
"""
import ctypes
import os
import pwd
import signal
import socket
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from chattest import (Client, Server, check, log, run,  # noqa: E402
                      run_server_cmd, wait_until)

HOOK = "CHAT_SERVER_SANDBOX_TEST"
ROOT = os.geteuid() == 0


def status(pid):
    fields = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            k, _, v = line.partition(":")
            fields[k] = v.split()
    return fields


def landlock_abi():
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    return libc.syscall(444, None, ctypes.c_size_t(0), ctypes.c_uint(1))


def hooked(value, *args):
    os.environ[HOOK] = value
    try:
        return Server(*args)
    finally:
        del os.environ[HOOK]


def privileged_port():
    for port in range(1000, 600, -1):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            s.bind(("127.0.0.1", port))
            return port
        except OSError:
            continue
        finally:
            s.close()
    return None


def dropped():
    nobody = pwd.getpwnam("nobody")
    port = privileged_port()
    srv = Server(port=port)
    st = status(srv.proc.pid)
    log("as root on port %d: Uid %s Gid %s Groups %s CapEff %s" %
        (srv.port, st["Uid"], st["Gid"], st["Groups"], st["CapEff"]))
    check(srv.port == port, "bound port %d before the drop" % port)
    check(st["Uid"] == [str(nobody.pw_uid)] * 4, "runs as nobody: %r" %
          st["Uid"])
    check(st["Gid"] == [str(nobody.pw_gid)] * 4, "nobody's group: %r" %
          st["Gid"])
    check(st["Groups"] == [str(nobody.pw_gid)], "no other group: %r" %
          st["Groups"])
    check(int(st["CapEff"][0], 16) == 0 and int(st["CapPrm"][0], 16) == 0,
          "no capability left")
    Client(srv.port).login("alice")
    srv.stop()
    daemon = pwd.getpwnam("daemon")
    srv = Server("--user", "daemon")
    check(status(srv.proc.pid)["Uid"][0] == str(daemon.pw_uid),
          "--user daemon runs as daemon")
    srv.stop()
    for user, want in (("no-such-user-x", "--user no-such-user-x: no such "
                        "user"), ("root", "--user root: that is root")):
        rc, out, err = run_server_cmd(["-b", "127.0.0.1", "-p", "0",
                                       "--user", user])
        check(rc == 1 and want in err, "--user %s refused: %d %r" %
              (user, rc, err))


def not_root():
    srv = Server()
    check(status(srv.proc.pid)["Uid"][0] == str(os.getuid()),
          "keeps its user")
    srv.stop()
    rc, out, err = run_server_cmd(["-b", "127.0.0.1", "-p", "0",
                                   "--user", "root"])
    check(rc == 1 and "only root can become another user" in err,
          "--user needs root: %d %r" % (rc, err))


def sanitized(pid):
    with open("/proc/%d/maps" % pid) as f:
        return any("libasan" in line for line in f)


def filtered():
    srv = Server()
    st = status(srv.proc.pid)
    san = sanitized(srv.proc.pid)
    want = "0" if san else "2"
    check(st["Seccomp"] == [want] and st["NoNewPrivs"] == ["1"],
          "seccomp filter (%s) and no_new_privs: %r %r" %
          (want, st["Seccomp"], st["NoNewPrivs"]))
    srv.stop()
    srv = Server("--no-sandbox")
    st = status(srv.proc.pid)
    check(st["Seccomp"] == ["0"] and st["NoNewPrivs"] == ["0"],
          "--no-sandbox: none: %r %r" % (st["Seccomp"], st["NoNewPrivs"]))
    srv.stop()
    return san


def forbidden_call():
    srv = hooked("execve")
    Client(srv.port).login("alice")     # it serves under the filter
    srv.signal(signal.SIGUSR2)
    srv.proc.wait(10)
    err = srv.stderr()
    log("execve from the loop: exit %d, %r" % (srv.proc.returncode,
                                                 err.splitlines()[-1]))
    check(srv.proc.returncode == -signal.SIGSYS,
          "killed by SIGSYS, got %d" % srv.proc.returncode)
    check("chat_server: sandbox: system call 59 is not allowed" in err,
          "the call is named: %r" % err)
    srv.stop(expect_rc=None)
    srv = hooked("execve", "--no-sandbox")
    srv.signal(signal.SIGUSR2)
    srv.proc.wait(10)
    check(srv.proc.returncode == 0, "unsandboxed, execve ran /bin/true: "
          "%d" % srv.proc.returncode)
    srv.stop(expect_rc=None)


def landlock():
    if landlock_abi() < 1:
        log("no Landlock in this kernel: its part is not checked")
        return
    with tempfile.TemporaryDirectory() as d:
        os.chmod(d, 0o755)
        for sub in ("logs", "elsewhere"):
            os.mkdir(os.path.join(d, sub), 0o755)
            os.chmod(os.path.join(d, sub), 0o777)
            path = os.path.join(d, sub, "f")
            with open(path, "w"):
                pass
            os.chmod(path, 0o666)
        transcript = os.path.join(d, "logs", "room.jsonl")
        for sub, want in (("logs", "ok"), ("elsewhere", "Permission denied")):
            path = os.path.join(d, sub, "f")
            srv = hooked("open:" + path, "--transcript", transcript)
            line = "chat_server: sandbox test: open %s: %s" % (path, want)
            check(line in srv.stderr(), "%s: %r" % (line, srv.stderr()))
            srv.stop()
        log("Landlock ABI %d: the transcript's directory only" %
            landlock_abi())


def main():
    if ROOT:
        dropped()
    else:
        not_root()
    if filtered():
        log("a sanitizer build: no seccomp filter, so no forbidden call")
    else:
        forbidden_call()
    landlock()


run(main)
