#!/usr/bin/env python3
"""With --heartbeat 1, a session that sends only bad datagrams (bad JSON,
a wrong token, bad fields) from its address is still expired: a bad
datagram changes no state, not even liveness. Its name is free after."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403


def main():
    srv = Server("--heartbeat", "1")
    a = Client(srv.port)
    a.login("alice")
    b = Client(srv.port)
    t_b = time.monotonic()
    b.login("bob")
    bad = [b"not json",
           json.dumps({"type": "ping", "token": "0" * 32}),
           json.dumps({"type": "ping", "token": b.token, "x": "\udcff"},
                      ensure_ascii=True),
           json.dumps({"type": "chat", "token": b.token, "id": "1",
                       "text": "x"}),
           json.dumps({"type": "shout", "token": b.token})]
    k = [0]

    def tick():
        now = time.monotonic()
        if now - tick.last >= 0.25:
            a.req("ping")
            b.send_raw(bad[k[0] % len(bad)])
            k[0] += 1
            tick.last = now
        return a.received("leave", name="bob")
    tick.last = 0.0
    leave = pump_until([a, b], tick, 8.0, "bob to time out")[0]
    dt = leave["_t"] - t_b
    log("bob expired %.2fs after login, after %d bad datagrams" % (dt, k[0]))
    check(leave.get("reason") == "timeout", "reason timeout: %r" %
          public(leave))
    check(dt <= 5.0, "bad datagrams did not keep bob alive: %.2fs" % dt)
    c = Client(srv.port)
    w = c.login("bob")
    check(w.get("name") == "bob", "the expired name is free again")
    srv.stop()


run(main)
