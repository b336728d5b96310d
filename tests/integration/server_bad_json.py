#!/usr/bin/env python3
"""Not JSON, not an object, or no string type: error bad_json; nothing
changes. Each case is padded with JSON white space to 128 bytes (PAD_MIN),
so the error's words fit the server's budget (3 times the request); the
empty datagram cannot be padded and gets nothing (3 x 0 bytes)."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403


CASES = [
    b"hello",
    b"{",
    b"{\"type\":\"ping\"",
    b"[\"type\", \"ping\"]",
    b"[]",
    b"\"ping\"",
    b"42",
    b"null",
    b"{}",
    b"{\"token\":\"x\"}",
    b"{\"type\":42}",
    b"{\"type\":null}",
    b"{\"type\":[\"chat\"]}",
    b"{\"type\":{\"chat\":1}}",
    b"{\"type\":true}",
    b"{\"type\":\"ping\"} trailing",
    b"{'type':'ping'}",
    b" ",
    b"\x00",
]


def main():
    srv = Server()
    a = Client(srv.port)
    a.login("alice")
    b = Client(srv.port)
    b.login("bob")
    j = a.expect("join", name="bob")
    # Half from alice's own socket, half from fresh ones (errors are rate
    # limited per source, and ask_error sends again until answered).
    for k, data in enumerate(CASES):
        c = a if k % 2 else Client(srv.port)
        c.name = "sending %r" % data
        c.ask_error(data.ljust(PAD_MIN), "bad_json")
    a.name = "alice"
    a.send_raw(b"")
    a.barrier()
    check(a.received("error") == [], "an empty datagram gets no answer: %r"
          % [public(m) for m in a.received("error")])
    # Also with a session's token inside something that is not an object.
    a.ask_error(json.dumps([{"type": "quit", "token": a.token}]), "bad_json")
    a.ask_error(json.dumps({"type": 7, "token": a.token}), "bad_json")
    check(sorted(b.who()) == ["alice", "bob"], "nothing changed")
    i = b.chat("probe")
    b.expect("ack", id=i)
    m = a.expect("chat", text="probe")
    check(m["seq"] == j["seq"] + 1, "alice's next seq is unchanged: %r" %
          public(m))
    srv.stop()


run(main)
