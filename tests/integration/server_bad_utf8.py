#!/usr/bin/env python3
"""A datagram that is not valid UTF-8 gets bad_utf8 and changes nothing."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403


BAD = [
    b"\xff",                 # never valid
    b"\x80",                 # lone continuation byte
    b"\xc0\xaf",             # overlong "/"
    b"\xe0\x80\xaf",         # overlong, three bytes
    b"\xed\xa0\x80",         # UTF-16 surrogate
    b"\xe4\xb8",             # truncated 中
    b"\xf4\x90\x80\x80",     # above U+10FFFF
    b"\xf8\x88\x80\x80\x80", # five-byte form
]


def chat_with(token, i, raw):
    return (b'{"type":"chat","token":"' + token.encode() + b'","id":' +
            str(i).encode() + b',"text":"a' + raw + b'b"}')


def main():
    srv = Server()
    a = Client(srv.port)
    a.login("alice")
    b = Client(srv.port)
    b.login("bob")
    j = a.expect("join", name="bob")
    i = 0
    for raw in BAD:
        i += 1
        a.name = "alice sending %r" % raw
        a.ask_error(chat_with(a.token, i, raw), "bad_utf8")
    a.name = "alice"
    # In a field the server ignores, and in a login name.
    a.ask_error(b'{"type":"ping","token":"' + a.token.encode() +
                b'","x":"\xff"}', "bad_utf8")
    x = Client(srv.port)
    x.name = "stranger"
    x.ask_error(b'{"type":"login","v":2,"name":"car\xc3ol"}', "bad_utf8")
    x.ask_error(b'\xfe\xff{"type":"ping"}', "bad_utf8")

    check(sorted(a.who()) == ["alice", "bob"], "no session was made")
    # None of the ids was used: id 1 is still free, and nothing reached alice.
    b.chat("probe", id=1)
    b.expect("ack", id=1)
    a.chat("free id", id=1)
    a.expect("ack", id=1)
    m = a.expect("chat", text="probe")
    check(m["seq"] == j["seq"] + 1, "alice's next seq is unchanged")
    m = b.expect("chat", text="free id")
    b.barrier()
    check(b.received("chat") == [], "nothing invalid was forwarded: %r" %
          [public(c) for c in b.received("chat")])
    srv.stop()


run(main)
