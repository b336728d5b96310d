#!/usr/bin/env python3
"""With --heartbeat 1 a silent session is expired after about 3 s (the
others get leave timeout); a session that pings stays."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403


def main():
    srv = Server("--heartbeat", "1")
    a = Client(srv.port)
    wa = a.login("alice")
    check(wa.get("heartbeat") == 1, "welcome says heartbeat 1")
    c = Client(srv.port)
    c.login("carol")
    b = Client(srv.port)
    t_b = time.monotonic()
    b.login("bob")                    # bob says nothing after this

    def tick():
        # alice and carol ping every 0.3 s and ack whatever comes.
        now = time.monotonic()
        if now - tick.last >= 0.3:
            a.req("ping")
            c.req("ping")
            tick.last = now
        return a.received("leave", name="bob")
    tick.last = 0.0
    leave = pump_until([a, c], tick, 8.0, "bob to time out")[0]
    dt = leave["_t"] - t_b
    log("bob expired %.2fs after his login" % dt)
    check(leave.get("reason") == "timeout", "leave reason timeout: %r" %
          public(leave))
    check(2.5 <= dt <= 5.0, "expired after about 3 heartbeats: %.2fs" % dt)
    # Keep pinging to 4.5 s in all: alice and carol stay.
    end = t_b + 4.5
    pump_until([a, c], lambda: tick() and time.monotonic() >= end, 8.0,
               "4.5 s to pass")
    check(a.received("error") == [] and c.received("error") == [],
          "pinging sessions are never refused: %r" %
          [public(m) for m in a.received("error") + c.received("error")])
    check(c.received("leave", name="alice") == [], "alice stays")
    check(a.received("leave", name="carol") == [], "carol stays")
    check(sorted(a.who()) == ["alice", "carol"], "who: alice and carol")
    m = c.expect("leave", name="bob", timeout=1.0)
    check(m.get("reason") == "timeout", "carol gets leave timeout too")
    b.req("ping")
    b.expect_error("no_session")
    srv.stop()


run(main)
