#!/usr/bin/env python3
"""A datagram over 1400 bytes gets too_long and is not acted on; one of
exactly 1400 bytes is fine. A bad datagram changes no state: its id is
not used up, so the next good request may carry it."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403



def padded_chat(token, i, text, size):
    """A compact chat datagram of exactly size bytes (padding in an
    unknown field, which the server must ignore)."""
    o = {"type": "chat", "token": token, "id": i, "text": text, "pad": ""}
    base = len(json.dumps(o, separators=(",", ":")).encode())
    o["pad"] = "p" * (size - base)
    d = json.dumps(o, separators=(",", ":")).encode()
    check(len(d) == size, "test built %d bytes, wanted %d" % (len(d), size))
    return d


def main():
    srv = Server()
    a = Client(srv.port)
    a.login("alice")
    b = Client(srv.port)
    b.login("bob")
    a.expect("join", name="bob")

    a.send_raw(padded_chat(a.token, 1, "exactly 1400", 1400))
    a.expect("ack", id=1)
    m = b.expect("chat", text="exactly 1400")
    last = m["seq"]

    a.ask_error(padded_chat(a.token, 2, "1401 bytes", 1401), "too_long")
    a.ask_error(padded_chat(a.token, 3, "1500 bytes", 1500), "too_long")
    a.ask_error(padded_chat(a.token, 4, "big", 9000), "too_long")
    # A valid-looking first 1400 bytes must not be read as the datagram.
    a.ask_error(padded_chat(a.token, 5, "x", 1400)[:-2] + b'"}' + b" " * 600,
                "too_long")
    x = Client(srv.port)
    x.name = "stranger"
    x.ask_error(os.urandom(1401), "too_long")
    x.ask_error(b"[" * 5000, "too_long")

    # Ids are acted on in order: the ids 2..5 were not, so 2 is next.
    a.chat("probe", id=2)
    a.expect("ack", id=2)
    m = b.expect("chat", text="probe")
    check(m["seq"] == last + 1, "nothing too long was forwarded: seq %d "
          "after %d" % (m["seq"], last))
    b.barrier()
    check(b.received("chat") == [], "no other chat reached bob: %r" %
          [public(c) for c in b.received("chat")])
    a.chat("id 3 for real", id=3)
    a.expect("ack", id=3)
    b.expect("chat", text="id 3 for real")
    srv.stop()


run(main)
