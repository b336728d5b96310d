#!/usr/bin/env python3
"""Log lines carry the local time, ISO 8601 with milliseconds and the UTC
offset, when stderr is a file (a service, chat_server 2>log); at a
terminal they do not, unless --timestamps. A refused login (here a wrong
password) is a log line with its address."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403

import datetime
import pty
import re
import select
import shutil
import subprocess
import tempfile

STAMP = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d) "
                   r"chat_server: ")


def at_terminal(*args):
    """A server whose stderr is a pty; returns the log line of a join."""
    master, slave = pty.openpty()
    p = subprocess.Popen([SERVER_BIN, "-b", "127.0.0.1", "-p", "0"] +
                         list(args), stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    buf = b""
    try:
        def read_until(pat):
            nonlocal buf
            deadline = time.monotonic() + 5
            while not re.search(pat, buf):
                check(time.monotonic() < deadline, "no %r in %r" % (pat, buf))
                r, _, _ = select.select([master], [], [], 0.1)
                if r:
                    buf += os.read(master, 4096)
            return re.search(pat, buf)
        port = int(read_until(rb"listening on \S+ (\d+)").group(1))
        a = Client(port)
        a.login("alice")
        return read_until(rb"[^\n]*join alice[^\n]*").group(0).decode()
    finally:
        p.terminate()
        p.wait()
        os.close(master)


def main():
    tmp = tempfile.mkdtemp()
    pw = os.path.join(tmp, "pw")
    with open(pw, "w") as f:
        f.write("s3cret\n")
    srv = Server("--password-file", pw)
    before = datetime.datetime.now(datetime.timezone.utc)
    a = Client(srv.port)
    a.login("alice", password="s3cret")
    m = Client(srv.port)
    m.name = "mallory"
    m.login_error("mallory", "bad_password", password="guess")
    err = wait_until(lambda: "refused" in srv.stderr() and srv.stderr(), 5.0,
                     "the refused login in the log")
    log(err)
    lines = [ln for ln in err.splitlines() if "listening on" not in ln]
    check(lines, "log lines: %r" % err)
    for ln in lines:
        s = STAMP.match(ln)
        check(s is not None, "a time stamp starts the line: %r" % ln)
        t = datetime.datetime.fromisoformat(s.group(1))
        check(abs((t - before).total_seconds()) < 60,
              "the stamp is now, with its offset: %r" % ln)
    check(re.search(r"refused login of mallory from 127\.0\.0\.1:%d: "
                    r"bad password" % m.sock.getsockname()[1], err),
          "the bad password is logged with its address: %r" % err)
    srv.stop()

    line = at_terminal()
    check(STAMP.search(line) is None and "chat_server: join alice" in line,
          "no stamp at a terminal: %r" % line)
    line = at_terminal("--timestamps")
    check(STAMP.search(line.lstrip("\r")) is not None,
          "--timestamps stamps at a terminal: %r" % line)
    shutil.rmtree(tmp)


run(main)
