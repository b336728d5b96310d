#!/usr/bin/env python3
"""While the client waits for a welcome, a person at a terminal is told
what it waits for: "connecting to HOST:PORT as NAME ..." on standard
error at once, not only after the 5 s give-up. A script reading a pipe
gets no such line. The "server" here is a UDP socket that never answers.
"""
import os
import pty
import select
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from chattest import CLIENT_BIN, check, log, run  # noqa: E402


def read_pty(fd, until, timeout):
    """What the pty printed, with the time each piece came."""
    got, t0 = [], time.monotonic()
    while time.monotonic() - t0 < timeout:
        r, _, _ = select.select([fd], [], [], 0.1)
        if not r:
            continue
        try:
            data = os.read(fd, 4096)
        except OSError:     # EIO: the child closed the terminal
            break
        if not data:
            break
        got.append((time.monotonic() - t0, data.decode(errors="replace")))
        if until in "".join(d for _, d in got):
            break
    return got


def main():
    mute = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    mute.bind(("127.0.0.1", 0))
    port = mute.getsockname()[1]
    argv = [CLIENT_BIN, "-s", "127.0.0.1:%d" % port, "-n", "alice",
            "--plain"]

    pid, fd = pty.fork()
    if pid == 0:
        os.execv(CLIENT_BIN, argv)
    try:
        got = read_pty(fd, "no server answered", 15.0)
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    log("pty saw: %r" % got)
    text = "".join(d for _, d in got)
    want = "chat_client: connecting to 127.0.0.1:%d as alice ..." % port
    check(want in text, "the terminal is told what we wait for: %r" % text)
    def when(words):
        """Seconds until the pty had shown words."""
        seen = ""
        for t, d in got:
            seen += d
            if words in seen:
                return t
    first, gave_up = when("connecting to"), when("no server answered")
    check(first < gave_up - 3.0, "told at once (%.1fs), not with the "
          "give-up (%.1fs)" % (first, gave_up))
    check(os.WEXITSTATUS(status) == 1, "no server: exit 1")
    check(mute.recv(2048).find(b'"login"') >= 0, "it did send a login")

    # Through pipes (a script): the same wait says nothing until the end.
    p = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True,
                       timeout=20)
    err = p.stderr.decode(errors="replace")
    log("pipe stderr: %r" % err)
    check("connecting to" not in err, "a pipe gets no progress line")
    check(p.returncode == 1 and "no server answered" in err,
          "the give-up is still said")


run(main)
