#!/usr/bin/env python3
"""Resume (protocol 2): a login with a cid gets next_id 1 the first time;
after its session ends (quit, or expired) the same name with the same cid
gets the next id the server expected of it, so the client knows which of
its requests were acted on. Another cid, another name, or the name a
session had before a rename gets 1. An id held early when the session
ended was not acted on; a repeated login gets the same welcome; the new
session's ids start at next_id and one below it is not acted on again."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403

CID = "0123456789abcdef"
CID2 = "fedcba9876543210"


def login(srv, name, cid=None):
    c = Client(srv.port)
    extra = {} if cid is None else {"cid": cid}
    w = c.login(name, **extra)
    check(isinstance(w.get("next_id"), int), "welcome carries next_id: %r" %
          public(w))
    return c, w


def main():
    srv = Server()
    b = Client(srv.port)
    b.login("bob")

    a, w = login(srv, "alice", CID)
    check(w["next_id"] == 1, "a first login starts at 1: %r" % public(w))
    check(re.fullmatch(r"[0-9a-f]{16}", w.get("run") or "") is not None,
          "welcome carries run, 16 lowercase hex: %r" % public(w))
    for i in (1, 2, 3):
        a.request_ok("chat", id=i, text="line %d" % i)
    a.quit()
    b.expect("leave", name="alice")

    a, w = login(srv, "alice", CID)
    check(w["next_id"] == 4, "the same name and cid resume at 4: %r" %
          public(w))
    # The login was lost: the same welcome again, next_id included.
    w2 = a.login("alice", cid=CID)
    check(w2["next_id"] == 4 and w2["token"] == w["token"],
          "a repeated login gets the same welcome: %r" % public(w2))
    # A pending id the server acted on before: acked, not forwarded again.
    a.request_ok("chat", id=3, text="line 3")
    a.request_ok("chat", id=4, text="line 4")
    b.expect("chat", text="line 4")
    b.barrier()
    check([m["text"] for m in b.received("chat")] == ["line 1", "line 2",
                                                      "line 3"],
          "bob got lines 1-4 once each: %r" %
          [public(m) for m in b.received("chat")])
    b.drop()
    # Id 6 arrives early and is held; the session ends before id 5.
    a.req("chat", id=6, text="line 6")
    a.barrier()
    a.quit()
    b.expect("leave", name="alice")
    check(b.received("chat") == [], "the held id was not acted on")

    # name, cid, next_id wanted and why; then ids 1..sent, and a rename
    for name, cid, want, why, sent, to in (
            ("alice", CID2, 1, "another cid starts at 1", 0, None),
            ("alice", CID, 1, "the name's last session had another cid", 0,
             None),
            ("alice", None, 1, "no cid", 1, None),
            ("carol", CID, 1, "another name with that cid", 2, "caroline"),
            ("carol", CID, 1, "remembered under the name it ended with "
             "(caroline), not carol", 0, None)):
        c, w = login(srv, name, cid)
        check(w["next_id"] == want, "%s: %r" % (why, public(w)))
        for i in range(1, sent + 1):
            c.request_ok("chat", id=i, text="%s %d" % (name, i))
        if to is not None:
            c.request_ok("rename", id=sent + 1, name=to)
        c.quit()
        b.expect("leave", name=to or name)
    c, w = login(srv, "caroline", CID)
    check(w["next_id"] == 4, "caroline resumes at 4: %r" % public(w))
    srv.stop()

    # Expired (no ping for 3 heartbeats): remembered as well.
    srv = Server("--heartbeat", "1")
    b = Client(srv.port)
    b.login("bob")
    a, w = login(srv, "alice", CID)
    check(w["next_id"] == 1, "a new server knows nothing: %r" % public(w))
    for i in (1, 2):
        a.request_ok("chat", id=i, text="line %d" % i)

    def tick():
        # bob pings to stay; alice says nothing more.
        if time.monotonic() - tick.last >= 0.3:
            b.req("ping")
            tick.last = time.monotonic()
        return b.received("leave", name="alice")
    tick.last = 0.0
    leave = pump_until([b], tick, 8.0, "alice to time out")[0]
    check(leave.get("reason") == "timeout", "expired: %r" % public(leave))
    a, w = login(srv, "alice", CID)
    check(w["next_id"] == 3, "an expired session resumes too: %r" %
          public(w))
    srv.stop()


run(main)
