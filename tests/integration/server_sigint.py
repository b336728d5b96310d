#!/usr/bin/env python3
"""SIGINT, like SIGTERM, announces the shutdown to every session and the
server exits 0."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403

import signal


def main():
    srv = Server(drain_ms=None)     # the default drain, as users get it
    a = Client(srv.port)
    a.login("alice")
    b = Client(srv.port)
    b.login("bob")
    a.expect("join", name="bob")
    srv.signal(signal.SIGINT)
    pump_until([a, b], lambda: a.received("announce") and
               b.received("announce"), 5.0, "the shutdown announce")
    for c in (a, b):
        m = c.received("announce")[0]
        check("shutting down" in m.get("text", "").lower(),
              "%s: %r" % (c.name, public(m)))
    wait_until(lambda: not srv.alive(), 5.0, "the server to exit")
    srv.stop(expect_rc=0)


run(main)
