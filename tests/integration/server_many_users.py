#!/usr/bin/env python3
"""80 sessions with 48-byte names: welcome and users stay within 1400
bytes, list real names (the welcome its own), and count the rest in
"more" (the project's documented choice)."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403


N = 80


def name(k):
    return "中" * 14 + chr(0x4e00 + k // 64) + chr(0x4e00 + k % 64)


def main():
    srv = Server("--max-per-host", str(N))    # all from 127.0.0.1
    clients = []
    names = [name(k) for k in range(N)]
    check(len(set(names)) == N and all(len(n.encode()) == 48 for n in names),
          "test setup: 80 distinct 48-byte names")
    missing_self = []
    for k in range(N):
        c = Client(srv.port)
        w = c.login(names[k])        # the Client checks every datagram <= 1400
        if names[k] not in w.get("users", []):
            missing_self.append(k)
        clients.append(c)
        if k % 10 == 9:
            pump_all(clients, 0.01)      # keep acking the joins
    last = clients[-1]
    for w in (last.welcome,):
        listed = w["users"]
        more = w.get("more", 0)
        log("last welcome: %d names, more %r, %d bytes" %
            (len(listed), more, len(w["_raw"])))
        check(set(listed) <= set(names) and len(set(listed)) == len(listed),
              "welcome lists distinct real names")
        check(len(listed) + more == N, "listed + more = %d online: %d + %r" %
              (N, len(listed), more))
    last.req("who")
    u = last.expect("users")
    check(set(u["users"]) <= set(names) and
          len(u["users"]) + u.get("more", 0) == N,
          "users: listed + more = %d: %d + %r" %
          (N, len(u["users"]), u.get("more")))
    pump_until(clients, lambda: len(clients[0].distinct("join")) == N - 1,
               5.0, "the first session to get every join")
    last.request_ok("chat", text="hello all")
    pump_until(clients, lambda: all(c.received("chat", text="hello all")
                                    for c in clients[:-1]),
               5.0, "every other session to get the chat")
    srv.stop()
    check(not missing_self, "a welcome lists its own name (contract: "
          "\"users (names online, own included)\"); missing in welcome "
          "number %r" % missing_self)


run(main)
