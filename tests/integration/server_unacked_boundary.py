#!/usr/bin/env python3
"""Exactly 256 unacked messages do not expire a session (only more than
256 do): it can ack them all afterwards and stays."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403


SENDERS = 16
EACH = 16          # 256 in all


def main():
    srv = Server("--max-per-host", str(SENDERS + 1))    # all from 127.0.0.1
    b, *senders = logged_in(srv.port, "bob",
                            *["s%d" % k for k in range(SENDERS)])
    pump_until([b] + senders, lambda: len(b.distinct("join")) == SENDERS,
               5.0, "bob to get and ack every join")
    b.auto_ack = False
    b.drop()
    for n in range(EACH):
        for s in senders:
            s.msg("bob", "m%d" % n)
    # Every msg acked means the server has queued all 256 for bob.
    pump_until(senders, lambda: all(len(s.received("ack")) >= EACH
                                    for s in senders), 5.0,
               "every msg to be acked")
    users = senders[0].who()
    check("bob" in users, "bob is not expired at exactly 256 unacked: %r"
          % users)
    b.auto_ack = True
    pump_until([b] + senders, lambda: len(set(
        m["seq"] for m in b.received("msg"))) == SENDERS * EACH, 5.0,
        "bob to receive and ack all 256")
    b.ping()
    check(senders[0].received("leave") == [], "nobody left: %r" %
          [public(m) for m in senders[0].received("leave")])
    check("bob" in senders[0].who(), "bob stays")
    srv.stop()


run(main)
