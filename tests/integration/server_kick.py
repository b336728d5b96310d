#!/usr/bin/env python3
"""/kick NAME on the server's stdin (docs/protocol.md, "Kick"): the others
get leave {name, reason kicked, text: the reason given} once (no text
without a reason); the kicked session gets the same
leave, retransmitted until acked, its requests are answered with that
leave again and not acted on (a chat is not forwarded), it is out of
who, its name stays reserved until it is gone, and it is gone once it
acks or, if it never does, 3 heartbeats after the leave was first sent
(protocol 2: retransmitted until then, at most 1 s apart). Kicking an
unknown name says so on the server's stdout and changes nothing.
`chat_server --kick NAME` does the same through the control socket."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403

import shutil
import tempfile


def stdout_of(path):
    with open(path, errors="replace") as f:
        return f.read()


def kicked_leave(c, name, text=None, timeout=5.0):
    m = c.expect("leave", timeout, name=name)
    check(m.get("reason") == "kicked",
          "%s: leave of %s says kicked: %r" % (c.name, name, public(m)))
    check(m.get("text") == text,
          "%s: the leave of %s carries the reason %r: %r" %
          (c.name, name, text, public(m)))
    return m


def main():
    tmp = tempfile.mkdtemp()
    out = os.path.join(tmp, "stdout")
    # The server's stdout (the operator's terminal) into a file.
    srv = Server(stdin=True,
                 wrapper=["sh", "-c", 'exec "$@" >"$0"', out])
    a, b, c = login_room(srv.port, "alice", "bob", "carol")
    # bob acks only when the test says so, and keeps every copy.
    b.auto_ack = False
    b.keep_dups = True

    srv.announce("/kick bob too loud")
    for x in (a, c):
        kicked_leave(x, "bob", "too loud")
    first = kicked_leave(b, "bob", "too loud")
    seq = first["seq"]
    check(seq == 1 + len(b.room_joins),
          "bob's leave comes after what he had: seq %d" % seq)
    again = b.expect("leave", 3.0, seq=seq)
    check(again["_raw"] == first["_raw"],
          "the retransmit is the same datagram: %r" % again["_raw"])
    wait_until(lambda: "bob is out of the room" in stdout_of(out), 5.0,
               "the operator to be told bob is out")

    # A chat from bob is not acted on: answered with the leave again.
    cid = b.new_id()
    b.drop()
    b.req("chat", id=cid, text="still here")
    m = b.expect("leave", 3.0, seq=seq)
    check(not b.received("ack") and not b.received("error"),
          "bob's chat is neither acked nor refused with no_session: %r" %
          [public(x) for x in b.inbox])
    b.req("ping")
    b.expect("leave", 3.0, seq=seq)
    check(not b.received("pong"), "bob's ping is answered with the leave")
    for x in (a, c):
        x.ping()
        check(x.received("chat") == [], "%s got no chat from bob: %r" %
              (x.name, [public(y) for y in x.received("chat")]))
    check(sorted(a.who()) == ["alice", "carol"],
          "bob is gone from who while being removed")
    check(a.request_error("msg", "no_such_user", to="bob", text="hi"),
          "msg to bob: no_such_user")
    x = Client(srv.port)
    x.name = "bob2"
    x.login_error("bob", "name_taken")

    srv.announce("/who")
    wait_until(lambda: "2 in the room" in stdout_of(out), 5.0, "/who")
    check("bob" not in stdout_of(out).split("2 in the room")[0]
          .split("ADDRESS")[-1], "the operator's /who leaves bob out:\n" +
          stdout_of(out))

    # bob acks his leave: he is removed, and nobody hears of it again.
    b.req("ack", seq=seq)
    b.ask({"type": "ping", "token": b.token}, "error", code="no_session")
    x.login("bob")
    for y in (a, c):
        y.expect("join", name="bob")
        y.ping()
        check(len(y.distinct("leave", name="bob")) == 0,
              "%s got the kick's leave exactly once: %r" %
              (y.name, [public(z) for z in y.received("leave")]))
    x.quit()
    a.expect("leave", name="bob", reason="quit")
    c.expect("leave", name="bob", reason="quit")

    # An unknown name: an error on the operator's stdout, nothing changes.
    srv.announce("/kick nobody")
    wait_until(lambda: "nobody named nobody is in the room" in
               stdout_of(out), 5.0, "the error for an unknown name")
    check(sorted(a.who()) == ["alice", "carol"], "nothing changed")
    a.ping()
    check(a.received("leave") == [], "no leave for an unknown name")

    # --kick through the control socket; dave never acks anything.
    d = Client(srv.port, auto_ack=False, keep_dups=True)
    d.login("dave")
    a.expect("join", name="dave")
    c.expect("join", name="dave")
    rc, sout, serr = run_server_cmd(["-p", str(srv.port), "--kick", "dave"])
    check(rc == 0, "--kick exits 0: %d %r" % (rc, sout + serr))
    for y in (a, c):
        kicked_leave(y, "dave")
    rc, sout, serr = run_server_cmd(["-p", str(srv.port), "--kick", "dave"])
    check(rc != 0 and "already being removed" in serr,
          "a second --kick says so: %d %r" % (rc, serr))
    rc, sout, serr = run_server_cmd(["-p", str(srv.port), "--kick", "zed"])
    check(rc != 0 and "nobody named zed" in serr,
          "--kick of an unknown name fails in words: %d %r" % (rc, serr))
    leave = kicked_leave(d, "dave")
    t0 = leave["_t"]
    # Sent again (250 ms, doubling, at most 1 s apart) while unacked.
    pump_until([d], lambda: len(d.received("leave", seq=leave["seq"])) >= 4,
               6.0, "dave's leave to be sent again")
    check(all(m["_raw"] == leave["_raw"]
              for m in d.received("leave", seq=leave["seq"])),
          "every copy is the same leave")

    def gone():
        for y in (a, c, d):          # alice and carol must not go silent
            y.req("ping")
        pump_all([a, c, d], 0.3)
        return d.received("error", code="no_session")
    wait_until(gone, 20.0, "dave to be removed 3 heartbeats after his leave")
    took = time.monotonic() - t0
    log("dave removed %.1f s after his leave" % took)
    n = len(d.received("leave", seq=leave["seq"]))
    check(n >= 14, "his leave was sent again until then: %d copies" % n)
    check(14.0 < took < 17.0, "removed 3 heartbeats (15 s) after the leave "
          "was first sent: %.1f" % took)
    for y in (a, c):
        y.ping()
        check(len(y.distinct("leave", name="dave")) == 0,
              "%s: dave's removal sent no second leave" % y.name)
    srv.stop()
    shutil.rmtree(tmp)


run(main)
