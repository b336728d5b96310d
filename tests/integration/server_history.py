#!/usr/bin/env python3
"""With --history 3, after 5 chats (and a private msg) a newcomer gets
its welcome, then exactly the last 3 chats with "history": true, in order."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403



def main():
    srv = Server("--history", "3")
    a, b = logged_in(srv.port, "alice", "bob")
    a.expect("join", name="bob")
    for k in range(1, 6):
        who = a if k % 2 else b
        who.request_ok("chat", text="h%d 历史" % k)
    a.request_ok("msg", to="bob", text="secret")
    b.expect("msg", text="secret")

    c = Client(srv.port)
    c.name = "carol"
    c.fetch_cookie("carol")
    c.send_login(c.login_obj("carol"))
    pump_until([c], lambda: c.received("welcome"), 5.0, "welcome")
    c.token = c.received("welcome")[0]["token"]
    for m in c.inbox:                    # anything before the token
        if "seq" in m:
            c.req("ack", seq=m["seq"])
    c.req("ping")
    pump_until([c], lambda: c.received("pong"), 5.0, "pong")
    order = [m["type"] for m in c.inbox]
    log("carol got: %r" % [public(m) for m in c.inbox])
    check(order[0] == "welcome", "the welcome comes first: %r" % order)
    hist = [m for m in c.inbox if m["type"] == "chat"]
    check([m.get("text") for m in hist] == ["h3 历史", "h4 历史", "h5 历史"],
          "exactly the last 3 chats, in order: %r" %
          [m.get("text") for m in hist])
    check([m.get("from") for m in hist] == ["alice", "bob", "alice"],
          "with their senders: %r" % [m.get("from") for m in hist])
    check(all(m.get("history") is True for m in hist),
          "each is marked history: true")
    check([m.get("seq") for m in hist] == [1, 2, 3],
          "history is reliable, seq 1, 2, 3: %r" % [m.get("seq") for m in hist])
    check(all(isinstance(m.get("ts"), int) and m["ts"] <= now_ms() + 1000
              for m in hist), "history has a ts in the past")
    check(c.received("msg") == [], "private messages are not history")

    a.request_ok("chat", text="live")
    m = c.expect("chat", text="live")
    check(not m.get("history"), "a live chat is not history: %r" % public(m))
    check(m.get("seq") == 4, "the live chat follows with seq 4")
    a.barrier()
    b.barrier()
    check(a.received("chat", history=True) == [] and
          b.received("chat", history=True) == [],
          "only the newcomer gets history")
    srv.stop()


run(main)
