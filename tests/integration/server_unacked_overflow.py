#!/usr/bin/env python3
"""A session with more than 256 unacked messages is expired (leave
timeout) at once, long before its retransmissions would run out."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403


SENDERS = 15
EACH = 18          # 270 > 256, and under each sender's burst of 20


def main():
    srv = Server()
    b, *senders = logged_in(srv.port, "bob",
                            *["s%d" % k for k in range(SENDERS)])
    pump_until([b] + senders, lambda: len(b.distinct("join")) == SENDERS,
               5.0, "bob to get and ack every join")
    b.auto_ack = False

    t0 = time.monotonic()
    for n in range(EACH):
        for s in senders:
            s.msg("bob", "m%d" % n)
    leave = pump_until(senders, lambda: senders[0].received(
        "leave", name="bob"), 7.0, "bob to be expired")[0]
    dt = leave["_t"] - t0
    log("bob expired %.2fs after the flood began" % dt)
    check(leave.get("reason") == "timeout", "leave reason timeout: %r" %
          public(leave))
    check(dt < 4.0, "expired for too many unacked, not by retransmission "
          "running out (%.2fs)" % dt)
    users = senders[0].who()
    check("bob" not in users and len(users) == SENDERS,
          "bob is gone, the senders stay: %r" % users)
    srv.stop()


run(main)
