#!/usr/bin/env python3
"""With --heartbeat 1, a session that never pings but acks what it gets
(valid datagrams) is not expired."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403


def main():
    srv = Server("--heartbeat", "1")
    a = Client(srv.port)
    a.login("alice")
    c = Client(srv.port)
    t0 = time.monotonic()
    c.login("carol")            # carol only acks from now on
    a.expect("join", name="carol")
    k = [0]

    def tick():
        now = time.monotonic()
        if now - tick.last >= 0.5:
            k[0] += 1
            a.request_ok("chat", text="tick %d" % k[0], timeout=1.0)
            tick.last = now
        return now - t0 >= 4.5
    tick.last = 0.0
    pump_until([a, c], tick, 8.0, "4.5 s of ticking")
    check(a.received("leave") == [], "carol was not expired while acking: %r"
          % [public(m) for m in a.received("leave")])
    check(len(c.distinct("chat")) >= 7, "carol got the ticks")
    check(sorted(a.who()) == ["alice", "carol"], "carol is online")
    srv.stop()


run(main)
