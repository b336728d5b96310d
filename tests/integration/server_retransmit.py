#!/usr/bin/env python3
"""A session that never acks gets the same chat (same seq) 5 times in all,
about 250 ms apart and doubling, and is then expired: the others get
leave reason timeout. A session that acks gets it once."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403


def main():
    srv = Server()
    a = Client(srv.port)
    a.login("alice")
    c = Client(srv.port)
    c.login("carol")
    b = Client(srv.port, keep_dups=True)     # to count every copy
    b.login("bob")         # last in: bob has no join to ack
    a.expect("join", name="carol")
    a.expect("join", name="bob")
    c.expect("join", name="bob")
    b.auto_ack = False

    t0 = time.monotonic()
    i = a.chat("do you hear me")
    a.expect("ack", id=i)
    leave = pump_until([a, b, c], lambda: a.received("leave", name="bob"),
                       12.0, "bob to time out")[0]
    t_leave = leave["_t"] - t0
    copies = b.received("chat")
    times = [m["_t"] - t0 for m in copies]
    log("bob got %d copies at %s; leave after %.2fs" %
        (len(copies), ["%.2f" % t for t in times], t_leave))
    check(leave.get("reason") == "timeout", "leave reason timeout: %r" %
          public(leave))
    check(len(copies) == 5, "5 sends in all, got %d" % len(copies))
    first = copies[0]
    for m in copies[1:]:
        check(public(m) == public(first),
              "each retransmission is the same message (same seq): %r vs %r"
              % (public(m), public(first)))
    gaps = [t2 - t1 for t1, t2 in zip(times, times[1:])]
    log("gaps %s" % ["%.2f" % g for g in gaps])
    check(0.15 <= gaps[0] <= 0.45, "first retransmit after about 250 ms: "
          "%.2fs" % gaps[0])
    for g1, g2 in zip(gaps, gaps[1:]):
        check(g2 > 1.4 * g1, "the interval doubles: %s" %
              ["%.2f" % g for g in gaps])
    check(2.5 <= times[-1] - times[0] <= 5.5,
          "the last send about 3.75 s after the first: %.2f" %
          (times[-1] - times[0]))
    check(5.5 <= t_leave <= 11.0,
          "expired about 7.75 s after the first send: %.2f" % t_leave)
    m = c.expect("leave", name="bob", timeout=2.0)
    check(m.get("reason") == "timeout", "carol gets leave timeout too")
    check(len(c.received("chat", text="do you hear me")) == 1,
          "an acking session gets no retransmission: %d copies" %
          len(c.received("chat", text="do you hear me")))
    check(len(a.distinct("leave")) == 1, "one leave")
    b.req("ping")
    b.expect_error("no_session")
    check(sorted(a.who()) == ["alice", "carol"], "bob is gone")
    srv.stop()


run(main)
