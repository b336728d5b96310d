#!/usr/bin/env python3
"""Client login: retries and failure, the name prompt, refusals.

- No server: the client retries its login (250 ms doubling) for about
  5 s, then says "no server answered at HOST:PORT" and exits 1.
- Without --name it asks on stdout; after name_taken (and a locally
  invalid name) it shows the reason and asks again.
- A wrong password: the server's words, exit 1; the right one works.
- --help and --version exit 0; a bad port in --server exits 2.
"""
import json
import os
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from chattest import (CLIENT_BIN, Client, Server, check, log,  # noqa: E402
                      run)
from clienttest import TIME_RE, PlainClient, wait_for  # noqa: E402


def no_server():
    # A bound socket that never answers: nothing listens for real.
    silent = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    silent.bind(("127.0.0.1", 0))
    port = silent.getsockname()[1]
    try:
        t0 = time.monotonic()
        c = PlainClient(port, "alice", login=False)
        rc = c.wait_exit(9.0)
        took = time.monotonic() - t0
        err = c.stderr()
        log("no server: exit %d after %.2fs: %s" % (rc, took, err.strip()))
        check(rc == 1, "exit status 1 without a server")
        check("no server answered at 127.0.0.1:%d" % port in err,
              "stderr names the address: %r" % err)
        check("is chat_server running there, on that port?" in err,
              "and says what to check: %r" % err)
        check(3.5 < took < 7.5, "gave up after about 5 s (%.2fs)" % took)
        c.finish(expect_rc=1)
        # It really retried, with growing gaps.
        silent.setblocking(False)
        sends = []
        while True:
            try:
                data, _ = silent.recvfrom(2048)
            except BlockingIOError:
                break
            sends.append(json.loads(data))
        check(len(sends) >= 4 and all(m["type"] == "login" for m in sends),
              "several login datagrams were sent: %r" % sends)
    finally:
        silent.close()


def name_prompt(srv):
    holder = Client(srv.port)
    holder.login("alice")
    c = PlainClient(srv.port, None, login=False)
    wait_for(lambda: c.pump(0.05) and c.raw.count(b"name: ") >= 1, 5,
             "the first name prompt")
    c.send("#bad")              # refused locally, by the name rules
    c.wait_line(r"^(name: )*error: '#bad' is not a valid name")
    wait_for(lambda: c.pump(0.05) and c.raw.count(b"name: ") >= 2, 5,
             "the prompt after a bad name")
    c.send("alice")             # taken: the server's reason, then again
    err = c.wait_line(r"^(name: )*error: ")
    log("name_taken shown as: %r" % err)
    check("alice" in err or "taken" in err or "use" in err,
          "the server's reason is shown: %r" % err)
    wait_for(lambda: c.pump(0.05) and c.raw.count(b"name: ") >= 3, 5,
             "the prompt after name_taken")
    c.send("alice2")
    c.wait_logged_in()
    holder.expect("join", name="alice2")
    c.say("made it")
    c.wait_line(TIME_RE + r" <alice2> made it$")
    c.quit()
    holder.quit()


def password(srv_pw):
    with tempfile.NamedTemporaryFile("w", suffix=".pw", delete=False) as f:
        f.write("wrong\n")
        wrong = f.name
    with tempfile.NamedTemporaryFile("w", suffix=".pw", delete=False) as f:
        f.write("s3cret\n")
        right = f.name
    try:
        c = PlainClient(srv_pw.port, "bob", args=["--password-file", wrong],
                        login=False)
        rc = c.wait_exit(7.0)
        err = c.stderr()
        log("wrong password: exit %d: %s" % (rc, err.strip()))
        check(rc == 1 and "chat_client: " in err, "refused with words")
        c.finish(expect_rc=1)
        c = PlainClient(srv_pw.port, "bob", args=["--password-file", right])
        c.quit()
    finally:
        os.unlink(wrong)
        os.unlink(right)


def help_version():
    out = subprocess.run([CLIENT_BIN, "--help"], capture_output=True,
                         timeout=5)
    check(out.returncode == 0 and b"usage: chat_client" in out.stdout,
          "--help prints usage")
    out = subprocess.run([CLIENT_BIN, "-V"], capture_output=True, timeout=5)
    check(out.returncode == 0 and b"chat_client" in out.stdout, "-V")
    out = subprocess.run([CLIENT_BIN, "--bogus"], capture_output=True,
                         timeout=5)
    check(out.returncode != 0 and b"--bogus" in out.stderr,
          "an unknown option is named")
    # A port no server can have is a bad option (exit 2), said at once,
    # not "Invalid argument" from the first send.
    out = subprocess.run([CLIENT_BIN, "--plain", "-n", "alice", "-s", ""],
                         capture_output=True, timeout=5,
                         stdin=subprocess.DEVNULL)
    check(out.returncode == 2 and b"--server needs a host" in out.stderr,
          "-s '': exit %d, %r" % (out.returncode, out.stderr))
    for bad in ("127.0.0.1:0", "[::1]:0", "127.0.0.1:99999", "127.0.0.1:x"):
        out = subprocess.run([CLIENT_BIN, "--plain", "-n", "alice", "-s",
                              bad], capture_output=True, timeout=5,
                             stdin=subprocess.DEVNULL)
        check(out.returncode == 2 and b"bad port in --server '%s'" %
              bad.encode() in out.stderr, "-s %s: exit %d, %r" %
              (bad, out.returncode, out.stderr))
    # The refusal repeats what was typed, made safe: no raw escape.
    out = subprocess.run([CLIENT_BIN, "--plain", "-n", "alice", "-s",
                          "127.0.0.1:\x1b[2J"], capture_output=True,
                         timeout=5, stdin=subprocess.DEVNULL)
    check(out.returncode == 2 and b"'127.0.0.1:^[[2J'" in out.stderr and
          b"\x1b" not in out.stderr, "escape in -s: exit %d, %r" %
          (out.returncode, out.stderr))


def main():
    help_version()
    no_server()
    srv = Server()
    try:
        name_prompt(srv)
    finally:
        srv.stop()
    with tempfile.NamedTemporaryFile("w", suffix=".pw", delete=False) as f:
        f.write("s3cret\n")
        pw = f.name
    try:
        srv = Server("--password-file", pw)
        try:
            password(srv)
        finally:
            srv.stop()
    finally:
        os.unlink(pw)


if __name__ == "__main__":
    run(main)
