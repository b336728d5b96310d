#!/usr/bin/env python3
"""rename: ack, others get rename {from, to}, the new name is the "from"
of later chats and is listed by who; bad_name and name_taken carry the id."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403


def main():
    srv = Server()
    a, b, c = login_room(srv.port, "alice", "bob", "carol")

    i = a.rename("艾丽斯")
    a.expect("ack", id=i)
    for o in (b, c):
        r = o.expect("rename")
        check(r.get("from") == "alice" and r.get("to") == "艾丽斯",
              "%s gets rename alice -> 艾丽斯: %r" % (o.name, public(r)))
        check(isinstance(r.get("seq"), int) and isinstance(r.get("ts"), int),
              "rename is reliable (seq, ts): %r" % public(r))
    i = a.chat("new name")
    a.expect("ack", id=i)
    m = b.expect("chat", text="new name")
    check(m.get("from") == "艾丽斯", "later chats come from the new name: %r"
          % public(m))
    i = a.msg("bob", "private")
    a.expect("ack", id=i)
    m = b.expect("msg", text="private")
    check(m.get("from") == "艾丽斯", "msg from the new name: %r" % public(m))
    i = b.msg("艾丽斯", "to the new name")
    b.expect("ack", id=i)
    a.expect("msg", text="to the new name")
    users = c.who()
    check(sorted(users) == sorted(["艾丽斯", "bob", "carol"]),
          "who shows the new name only: %r" % users)

    b.request_error("msg", "no_such_user", to="alice", text="old name")
    # request_error: sent again until an error with that id comes back
    # (errors are rate limited), and the error must carry the id.
    a.request_error("rename", "name_taken", name="bob")
    a.request_error("rename", "name_taken", name="carol")
    for bad in ("has space", "@at", "a" * 17, "\u202eevil", "ctl\x07"):
        a.request_error("rename", "bad_name", name=bad)
    b.barrier()
    check(b.received("rename") == [], "refused renames are not announced: %r"
          % [public(m) for m in b.received("rename")])
    check(sorted(b.who()) == sorted(["艾丽斯", "bob", "carol"]),
          "refused renames changed nothing")

    # The old name is free again.
    d = Client(srv.port)
    w = d.login("alice")
    check(w.get("name") == "alice", "the old name can be taken by a newcomer")
    srv.stop()


run(main)
