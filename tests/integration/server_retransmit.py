#!/usr/bin/env python3
"""Retransmission for as long as the session lives (protocol 2): a
session that never acks but stays alive (it pings) gets the same chat
(same seq) again 250 ms after the first send, then 500 ms later, then
every 1000 ms (doubling, at most 1 s apart), until the chat has been
unacked for 3 heartbeats since its first send: then it is expired and
the others get leave reason timeout. With --heartbeat 2 that is 6 s:
sends at 0, 0.25, 0.75, 1.75, 2.75, 3.75, 4.75, 5.75. A session that
acks gets the chat once."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403


def main():
    srv = Server("--heartbeat", "2")
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

    def tick():
        # Everyone pings: bob stays alive by silence, he only never acks.
        if time.monotonic() - tick.last >= 0.3:
            for x in (a, b, c):
                x.req("ping")
            tick.last = time.monotonic()
        return a.received("leave", name="bob")
    tick.last = 0.0

    t0 = time.monotonic()
    i = a.chat("do you hear me")
    a.expect("ack", id=i)
    leave = pump_until([a, b, c], tick, 12.0, "bob to time out")[0]
    copies = b.received("chat")
    check(copies, "bob got the chat")
    first_t = copies[0]["_t"]
    times = [m["_t"] - first_t for m in copies]
    t_leave = leave["_t"] - first_t
    log("bob got %d copies at %s; leave %.2fs after the first" %
        (len(copies), ["%.2f" % t for t in times], t_leave))
    check(leave.get("reason") == "timeout", "leave reason timeout: %r" %
          public(leave))
    first = copies[0]
    for m in copies[1:]:
        check(public(m) == public(first),
              "each retransmission is the same message (same seq): %r vs %r"
              % (public(m), public(first)))
    gaps = [t2 - t1 for t1, t2 in zip(times, times[1:])]
    log("gaps %s" % ["%.2f" % g for g in gaps])
    check(len(copies) >= 7, "sent again until the end, not 5 times: %d" %
          len(copies))
    check(0.15 <= gaps[0] <= 0.45, "first retransmit after about 250 ms: "
          "%.2fs" % gaps[0])
    check(0.35 <= gaps[1] <= 0.75, "then about 500 ms: %.2fs" % gaps[1])
    for g in gaps[2:]:
        check(0.8 <= g <= 1.35, "then every second at most: %s" %
              ["%.2f" % g for g in gaps])
    check(5.5 <= t_leave <= 7.5,
          "expired 3 heartbeats (6 s) after the first send: %.2f" % t_leave)
    check(times[-1] <= t_leave, "no send after the leave")
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
