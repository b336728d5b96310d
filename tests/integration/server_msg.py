#!/usr/bin/env python3
"""msg: ack to the sender, msg {seq, ts, from, text} to that one user only;
a msg to a name not online gets no_such_user with the id."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403


def main():
    srv = Server()
    a, b, c = login_room(srv.port, "alice", "bob", "carol")
    jb = b.room_joins[0]

    t0 = now_ms()
    i = a.msg("bob", "psst 悄悄话")
    a.expect("ack", id=i)
    m = b.expect("msg", text="psst 悄悄话")
    check(m.get("from") == "alice", "msg from alice: %r" % public(m))
    check(m.get("seq") == jb["seq"] + 1, "msg takes bob's next seq: %r" %
          public(m))
    check(isinstance(m.get("ts"), int) and abs(m["ts"] - t0) < 5000,
          "msg ts near now: %r" % public(m))
    c.barrier()
    check(c.received("msg") == [] and c.received("chat") == [],
          "carol sees nothing of the private message")
    a.barrier()
    check(a.received("msg") == [], "the sender gets no copy")

    # Sent again until the error with that id comes (errors are rate
    # limited); the error must carry the id.
    a.request_error("msg", "no_such_user", to="nobody", text="hello?")
    a.request_error("msg", "no_such_user", to="Bob", text="case matters")
    b.barrier()
    check(b.received("msg") == [], "bob got nothing more")

    i = c.msg("alice", "reply")
    c.expect("ack", id=i)
    m = a.expect("msg", text="reply", **{"from": "carol"})
    srv.stop()


run(main)
