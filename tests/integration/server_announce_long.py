#!/usr/bin/env python3
"""Odd console lines (very long, heavy JSON escaping, invalid UTF-8, a
70 KB line) never make an announce over 1400 bytes, over 1000 bytes of
text, or invalid UTF-8, and the server goes on (a marker line arrives)."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403


LINES = [
    b"x" * 3000,
    b'"' * 1200,
    "中".encode() * 600,
    b"bad \xff\xfe bytes \xc3",
    b"y" * 70000,
]


def main():
    srv = Server(stdin=True)
    a = Client(srv.port)
    a.login("alice")
    for k, line in enumerate(LINES):
        srv.proc.stdin.write(line + b"\n")
        srv.proc.stdin.write(b"marker %d\n" % k)
        srv.proc.stdin.flush()
        # The Client checks each datagram: <= 1400 bytes, valid UTF-8 JSON.
        a.expect("announce", text="marker %d" % k)
        for m in a.received("announce"):
            t = m.get("text", "")
            log("line %d (%d bytes) -> announce of %d bytes" %
                (k, len(line), len(t.encode())))
            check(1 <= len(t.encode()) <= 1000,
                  "an announce text has 1-1000 bytes: %d" % len(t.encode()))
            check(not any(ord(ch) < 0x20 for ch in t), "no control chars")
        a.drop("announce")
        check(srv.alive(), "the server is alive after line %d" % k)
    a.ping()
    srv.stop()


run(main)
