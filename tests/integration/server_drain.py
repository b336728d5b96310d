#!/usr/bin/env python3
"""A stopping server delivers what it acked before it exits (the drain):

- SIGTERM just after a chat was acked to its sender, whose only copy
  the receiver dropped: the receiver gets the chat again (same seq) and
  the shutdown announce, and once both are acked the server exits at
  once, long before --drain-ms;
- a receiver that never acks holds the server no longer than the bound
  (--drain-ms), and no shorter: it is resent to all along;
- while draining, a new chat is not acked (its client sends it to the
  next server), a repeat of one acked before is acked again, and a
  login is not answered;
- a second SIGTERM ends the drain at once;
- clients that acked everything but do not ack the shutdown announce
  itself (it is resent, but only informs) do not hold the server;
- one who quits while the server drains gets bye; the others get no
  leave for it; the transcript has the shutdown announce, its leave
  (quit) and, at the end, a leave "shutdown" for each still in."""

import json
import os
import sys
import tempfile
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403


def exited(srv):
    wait_until(lambda: not srv.alive(), 15.0, "the server to exit")
    return time.monotonic()


def retransmitted():
    srv = Server("--drain-ms", "5000")
    a, b = logged_in(srv.port, "alice", "bob")
    a.expect("join", name="bob")
    b.keep_dups = True
    b.auto_ack = False
    i = a.chat("last words")
    a.expect("ack", id=i)
    first = b.expect("chat", text="last words")
    # Dropped, not acked: the server sends it again 250 ms later, or,
    # stopping, as it drains.
    srv.signal(SIGTERM)
    t0 = time.monotonic()
    b.auto_ack = True
    pump_until([a, b], lambda: b.received("chat", text="last words") and
               b.received("announce"), 3.0,
               "bob to get the chat again and the shutdown announce")
    again = b.received("chat", text="last words")[0]
    check(again["seq"] == first["seq"], "the same chat, seq %d: %r" %
          (first["seq"], public(again)))
    check(again["_t"] > t0, "sent again after the SIGTERM")
    ann = b.received("announce")[0]
    check("shutting down" in ann.get("text", ""), "the announce: %r" %
          public(ann))
    pump_until([a, b], lambda: not srv.alive(), 3.0, "the server to exit")
    took = time.monotonic() - t0
    log("bob got the chat again %.3f s after SIGTERM; the server exited "
        "after %.3f s (--drain-ms 5000)" % (again["_t"] - t0, took))
    check(took < 2.5, "everything acked: exit at once, not after the bound "
          "(%.2f s)" % took)
    err = srv.stop(expect_rc=0)
    check("everything was acked" in err, "the log says so:\n" + err)


def bounded():
    srv = Server("--drain-ms", "1500")
    a, c = logged_in(srv.port, "alice", "carol")
    a.expect("join", name="carol")
    c.auto_ack = False          # carol acks nothing, ever
    c.keep_dups = True
    i = a.chat("acked before")
    a.expect("ack", id=i)
    c.expect("chat", text="acked before")
    srv.signal(SIGTERM)
    t0 = time.monotonic()
    pump_until([a, c], lambda: a.received("announce"), 3.0,
               "alice's shutdown announce")
    j = a.chat("typed while stopping")
    x = Client(srv.port)
    last = 0.0
    while srv.alive() and time.monotonic() - t0 < 10.0:
        if time.monotonic() - last >= 0.2:
            # As a client does: both again until acked.
            a.req("chat", id=i, text="acked before")
            a.req("chat", id=j, text="typed while stopping")
            x.send_raw(padded({"type": "login", "v": VERSION,
                               "name": "xavier"}))
            last = time.monotonic()
        pump_all([a, c, x], 0.02)
    took = exited(srv) - t0
    acks = [m["id"] for m in a.received("ack")]
    copies = len(c.received("chat", text="acked before"))
    log("carol never acked: the server exited after %.3f s (--drain-ms "
        "1500), carol got the chat %d times; acks to alice while stopping:"
        " %s" % (took, copies, acks))
    check(1.3 <= took < 3.5, "exit after the bound, 1.5 s, not before nor "
          "much after: %.2f s" % took)
    check(copies >= 5, "resent while draining, every 100 ms or so, not on "
          "the 250 ms, 500 ms, 1 s steps: %d copies" % copies)
    check(j not in acks, "the chat typed after SIGTERM is not acked")
    check(i in acks, "the chat acked before is acked again")
    check(not x.inbox, "a login while stopping is not answered: %r" %
          [public(m) for m in x.inbox])
    check(not a.received("error"), "no error either: %r" %
          [public(m) for m in a.received("error")])
    err = srv.stop(expect_rc=0)
    check("not acked" in err, "the log says what was not acked:\n" + err)


def second_signal():
    srv = Server("--drain-ms", "20000")
    a, c = logged_in(srv.port, "alice", "carol")
    a.expect("join", name="carol")
    c.auto_ack = False
    a.request_ok("chat", text="unacked by carol")
    srv.signal(SIGTERM)
    pump_until([a, c], lambda: a.received("announce"), 3.0,
               "the shutdown announce")
    pump_all([a, c], 0.3)
    check(srv.alive(), "still draining: carol has not acked")
    srv.signal(SIGTERM)
    t0 = time.monotonic()
    took = exited(srv) - t0
    log("second SIGTERM: exited after %.3f s" % took)
    check(took < 1.0, "a second signal stops at once: %.2f s" % took)
    srv.stop(expect_rc=0)


def idle_room():
    srv = Server("--drain-ms", "5000")
    a, b = logged_in(srv.port, "alice", "bob")
    a.expect("join", name="bob")
    srv.signal(SIGTERM)
    t0 = time.monotonic()
    took = exited(srv) - t0
    log("idle room, nobody acks the announce: exited after %.3f s" % took)
    check(took < 1.0, "nothing owed: the announce alone holds nobody: "
          "%.2f s" % took)
    for c in (a, b):
        c.pump(0.2)
        check(c.received("announce"), "%s got the announce" % c.name)
    srv.stop(expect_rc=0)


def quit_while_stopping():
    path = os.path.join(tempfile.mkdtemp(), "room.jsonl")
    srv = Server("--drain-ms", "1500", "--transcript", path)
    a, c, q = logged_in(srv.port, "alice", "carol", "quinn")
    a.expect("join", name="carol")
    a.expect("join", name="quinn")
    c.expect("join", name="quinn")
    c.auto_ack = False          # holds the drain to its bound
    a.request_ok("chat", text="held by carol")
    srv.signal(SIGTERM)
    pump_until([a, c, q], lambda: q.received("announce"), 3.0,
               "quinn's shutdown announce")
    q.quit()                    # answered bye
    while srv.alive():
        pump_all([a, c, q], 0.05)
    check(not a.received("leave"), "nobody is told of quinn's leave: %r" %
          [public(m) for m in a.received("leave")])
    srv.stop(expect_rc=0)
    with open(path) as f:
        rec = [json.loads(line) for line in f]
    tail = [(r["type"], r.get("name") or r.get("text"), r.get("reason"))
            for r in rec[-5:]]
    log("the transcript ends: %r" % tail)
    check(tail == [("chat", "held by carol", None),
                   ("announce", "server is shutting down", None),
                   ("leave", "quinn", "quit"),
                   ("leave", "alice", "shutdown"),
                   ("leave", "carol", "shutdown")],
          "announce, quinn's quit, then the shutdown leaves: %r" % tail)


def main():
    quit_while_stopping()
    retransmitted()
    bounded()
    second_signal()
    idle_room()


run(main)
