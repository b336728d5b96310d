#!/usr/bin/env python3
"""A line on the server's stdin reaches every session as announce {seq,
ts, text}; an empty line announces nothing; the server keeps running when
stdin closes; SIGTERM announces the shutdown and exits 0."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403


def main():
    srv = Server(stdin=True)
    a = Client(srv.port)
    a.login("alice")
    b = Client(srv.port)
    b.login("bob")
    ja = a.expect("join", name="bob")

    t0 = now_ms()
    srv.announce("maintenance at 5pm — 五点维护")
    for c, seq in ((a, ja["seq"] + 1), (b, 1)):
        m = c.expect("announce")
        check(m.get("text") == "maintenance at 5pm — 五点维护",
              "%s gets the line as it was typed: %r" % (c.name, public(m)))
        check(m.get("seq") == seq, "%s: announce is reliable, seq %d: %r" %
              (c.name, seq, public(m)))
        check(isinstance(m.get("ts"), int) and abs(m["ts"] - t0) < 5000,
              "ts near now: %r" % m.get("ts"))
    srv.announce("")
    srv.announce("second")
    m = b.expect("announce", text="second")
    check(m.get("seq") == 2, "the empty line made no announce: %r" % public(m))
    a.expect("announce", text="second")

    # Control characters from the console never reach the wire.
    srv.announce("tab\there \x1b[31mred\x07 end")
    for c in (a, b):
        m = c.expect("announce")
        t = m.get("text", "")
        check("end" in t and not any(ord(ch) < 0x20 or 0x7f <= ord(ch) <= 0x9f
                                     for ch in t),
              "%s: an announce carries no control characters: %r" %
              (c.name, t))

    srv.close_stdin()
    # Bounded look: during a second the server stays up and answers.
    end = time.monotonic() + 1.0
    while time.monotonic() < end:
        check(srv.alive(), "the server keeps running after stdin closes")
        a.ping()
    a.request_ok("chat", text="after eof")
    b.expect("chat", text="after eof")
    check(b.received("announce") == [], "no announce from EOF: %r" %
          [public(m) for m in b.received("announce")])

    srv.signal(SIGTERM)
    pump_until([a, b], lambda: a.received("announce") and
               b.received("announce"), 5.0, "the shutdown announce")
    for c in (a, b):
        m = c.received("announce")[0]
        check("shutting down" in m.get("text", "").lower(),
              "%s is told the server is shutting down: %r" %
              (c.name, public(m)))
    srv.stop(expect_rc=0)


run(main)
