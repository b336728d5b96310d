#!/usr/bin/env python3
"""run and mid (protocol 2): every welcome of one server carries the same
run, 16 lowercase hex; every chat and announce the server accepts gets
mid 1, 2, 3 ... in the order accepted, also one sent with nobody else
online; a history replay carries the original mid; a new server has a
new run and counts from 1 again."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403


def is_run(r):
    return isinstance(r, str) and re.fullmatch(r"[0-9a-f]{16}", r) is not None


def main():
    srv = Server(stdin=True)
    a = Client(srv.port)
    wa = a.login("alice")
    check(is_run(wa.get("run")), "welcome carries run: %r" % public(wa))
    a.request_ok("chat", text="alone")          # nobody to receive it: mid 1
    b = Client(srv.port)
    wb = b.login("bob")
    check(wb.get("run") == wa["run"], "one run per server: %r %r" %
          (wa.get("run"), wb.get("run")))
    h = b.expect("chat", text="alone")
    check(h.get("mid") == 1 and h.get("history") is True,
          "the chat sent alone is mid 1, replayed: %r" % public(h))
    a.expect("join", name="bob")
    a.request_ok("chat", text="two")
    srv.announce("three")
    got_a = [a.expect("announce", text="three")]   # in before bob's four
    b.request_ok("chat", text="four")
    b.request_ok("msg", to="alice", text="private")   # no mid
    a.request_ok("chat", text="five", action=True)
    got_b = [b.expect("chat", text="two"), b.expect("announce", text="three"),
             b.expect("chat", text="five")]
    check([m.get("mid") for m in got_b] == [2, 3, 5],
          "bob sees mids 2, 3, 5: %r" % [public(m) for m in got_b])
    got_a.append(a.expect("chat", text="four"))
    check([m.get("mid") for m in got_a] == [3, 4],
          "alice sees mids 3, 4: %r" % [public(m) for m in got_a])
    m = a.expect("msg", text="private")
    check("mid" not in m, "a private msg has no mid: %r" % public(m))

    c = Client(srv.port)
    wc = c.login("carol")
    check(wc.get("run") == wa["run"], "carol's run is the same")
    c.ping()
    hist = [(m["type"], m.get("text"), m.get("mid")) for m in c.inbox
            if m["type"] in ("chat", "announce")]
    check(hist == [("chat", "alone", 1), ("chat", "two", 2),
                   ("announce", "three", 3), ("chat", "four", 4),
                   ("chat", "five", 5)],
          "the replay carries the original mids: %r" % hist)
    srv.stop()

    srv2 = Server()
    d = Client(srv2.port)
    wd = d.login("dave")
    check(is_run(wd.get("run")) and wd["run"] != wa["run"],
          "a new server has a new run: %r after %r" %
          (wd.get("run"), wa["run"]))
    e = Client(srv2.port)
    e.login("erin")
    d.request_ok("chat", text="again")
    m = e.expect("chat", text="again")
    check(m.get("mid") == 1, "a new run counts from 1: %r" % public(m))
    srv2.stop()


run(main)
