#!/usr/bin/env python3
"""Login: welcome carries name, a 32-hex token, users (self included),
heartbeat, room from --room and motd from --motd; the others get join."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403


def main():
    srv = Server("--room", "实验室-3", "--motd", "be nice 你好 \"quoted\"",
                 "--heartbeat", "2")
    a = Client(srv.port)
    t0 = now_ms()
    w = a.login("alice")
    log("welcome:", public(w))
    check(w.get("name") == "alice", "welcome names alice: %r" % public(w))
    check(is_token(w.get("token")),
          "token is 32 lowercase hex digits: %r" % w.get("token"))
    check(w.get("users") == ["alice"], "users is just alice: %r" % public(w))
    check(w.get("heartbeat") == 2, "heartbeat 2 from --heartbeat")
    check(w.get("room") == "实验室-3", "room from --room: %r" % w.get("room"))
    check(w.get("motd") == "be nice 你好 \"quoted\"",
          "motd from --motd: %r" % w.get("motd"))

    b = Client(srv.port)
    wb = b.login("bob", client="test 1.0", extra={"unknown": [1, 2]})
    check(is_token(wb.get("token")),
          "unknown login fields are ignored; bob's token is 32 hex")
    check(wb["token"] != w["token"], "two sessions get different tokens")
    check(sorted(wb.get("users", [])) == ["alice", "bob"],
          "bob's welcome lists alice and bob: %r" % public(wb))
    check(wb.get("room") == "实验室-3" and wb.get("heartbeat") == 2,
          "bob's welcome has the same room and heartbeat")

    j = a.expect("join", name="bob")
    check(j.get("seq") == 1, "alice's first reliable message has seq 1: %r"
          % public(j))
    check(isinstance(j.get("ts"), int) and abs(j["ts"] - t0) < 10000,
          "join ts is ms since the epoch, near now: %r" % j.get("ts"))
    b.barrier()
    check(b.received("join") == [], "bob is not told about his own join")
    a.barrier()
    check(a.received("join") == [], "alice got exactly one join")
    srv.stop()


run(main)
