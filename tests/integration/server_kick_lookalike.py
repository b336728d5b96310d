#!/usr/bin/env python3
"""An impostor named like someone else plus an invisible character
cannot make the operator kick the wrong person. alice + U+200B (a
default-ignorable code point) is refused as bad_name; alice + U+2800
(Braille blank, a valid name) gets in, but /who writes the invisible
character as <U+2800>, /kick takes the name in that form, and /kick
@ADDRESS takes the address /who shows. A plain "/kick alice" still
means the real alice, byte for byte."""

import os
import re
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403

import tempfile

ZWSP = "\u200b"
BLANK = "\u2800"


def stdout_of(path):
    with open(path, errors="replace") as f:
        return f.read()


def main():
    tmp = tempfile.mkdtemp()
    out = os.path.join(tmp, "stdout")
    srv = Server(stdin=True,
                 wrapper=["sh", "-c", 'exec "$@" >"$0"', out])
    Client(srv.port).login_error("alice" + ZWSP, "bad_name")
    real, fake, carol = login_room(srv.port, "alice", "alice" + BLANK,
                                   "carol")

    srv.announce("/who")
    wait_until(lambda: "3 in the room" in stdout_of(out), 5.0, "/who")
    table = stdout_of(out)
    log(table)
    rows = [r for r in table.splitlines() if r.startswith("alice")]
    check(len(rows) == 2, "two alice rows: %r" % rows)
    check(any(r.startswith("alice<U+2800> ") for r in rows),
          "the impostor's row names the invisible character: %r" % rows)
    check(BLANK not in table, "no raw U+2800 on the operator's screen")

    # Kick the impostor by the name as /who shows it.
    srv.announce("/kick alice<U+2800> pretending")
    m = carol.expect("leave", 5.0, name="alice" + BLANK)
    check(m.get("reason") == "kicked", "the impostor is kicked: %r" %
          public(m))
    fake.expect("leave", 5.0, name="alice" + BLANK)
    wait_until(lambda: "alice<U+2800> is out of the room" in stdout_of(out),
               5.0, "the operator to be told, in the same form")
    carol.ping()
    check(not carol.received("leave", name="alice"),
          "the real alice was not kicked: %r" %
          [public(x) for x in carol.received("leave")])
    check(sorted(carol.who()) == ["alice", "carol"], "alice is still in")

    # By address, as /who shows it.
    srv.announce("/who")
    wait_until(lambda: stdout_of(out).count(" in the room\n") >= 2, 5.0,
               "a second /who")
    last = stdout_of(out).rsplit("NAME", 1)[1]
    row = next(r for r in last.splitlines() if r.startswith("carol "))
    addr = row.split()[1]
    check(re.match(r"^127\.0\.0\.1:\d+$", addr), "an address: %r" % row)
    srv.announce("/kick @" + addr)
    m = real.expect("leave", 5.0, name="carol")
    check(m.get("reason") == "kicked", "carol kicked by address: %r" %
          public(m))
    srv.announce("/kick @127.0.0.1:1")
    wait_until(lambda: "nobody named @127.0.0.1:1 is in the room" in
               stdout_of(out), 5.0, "an unknown address says so")
    check(real.who() == ["alice"], "only alice is left: %r" % real.who())
    srv.stop()


run(main)
