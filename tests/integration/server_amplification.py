#!/usr/bin/env python3
"""No amplification (docs/protocol.md, "Transport"): to an address with no
session the server sends at most one datagram per datagram it received
from there, of at most 3 times its size.

1. From fresh sockets (no session), 32 kinds of datagram, each sent 3
   times: garbage, empty, padded bad JSON, too long, invalid UTF-8,
   logins without a cookie, with a stale, forged or altered one, with
   another port's, chats, acks, quits, pings, who, msg and rename with
   random tokens, discover padded and not, version 1, bad fields. Every
   reply is at most 3 times its request, and there are at most as many
   replies as requests; a few that must be answered are.
2. The attack of issue 9, repeated: with history to replay and people
   joining and chatting, a socket that logs in without ever coming back
   with its cookie (as a spoofed victim address would) gets its one
   cookie and then nothing for 10 s: no welcome, no history, no join.
   Nor do sockets whose login carries a forged cookie or the cookie of
   an attacker who did complete the round trip and then never acks."""

import os
import random
import select
import sys
import time
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403

SENDS = 3
QUIET_S = 10.0


def compact(o):
    return json.dumps(o, separators=(",", ":"), ensure_ascii=False).encode()


def kinds(rnd, other_cookie, stale_cookie):
    """(name, datagram, reply type that must come or None)."""
    tok = "%032x" % rnd.getrandbits(128)
    login = {"type": "login", "v": 2, "name": "mallory"}
    return [
        ("garbage", b"hello", None),
        ("one byte", b"x", None),
        ("empty", b"", None),
        ("bad JSON padded", b"{".ljust(PAD_MIN), "error"),
        ("bad JSON 16 bytes", b"this is not json", "error"),
        ("JSON array", b"[1,2,3]", None),
        ("empty object", b"{}", None),
        ("too long", compact({"type": "chat", "token": tok, "id": 1,
                              "text": "x" * 1500}), "error"),
        ("far too long", b"z" * 9000, "error"),
        ("invalid UTF-8", b"\xff\xfe\xfd", None),
        ("invalid UTF-8 padded", b"\xff".ljust(PAD_MIN), "error"),
        ("login, no cookie", compact(login), "cookie"),
        ("login, no cookie, padded", padded(login), "cookie"),
        ("login, 16 CJK name", compact(dict(login, name="中" * 16)),
         "cookie"),
        ("login, stale cookie", compact(dict(login, cookie=stale_cookie)),
         "cookie"),
        ("login, forged cookie", compact(dict(login, cookie="1." + "ab" * 16)),
         "cookie"),
        ("login, another port's cookie",
         compact(dict(login, cookie=other_cookie)), "cookie"),
        ("login, cookie and bad name",
         compact(dict(login, name="/x", cookie=other_cookie)), "cookie"),
        ("login, proof and no cookie", compact(dict(login, proof="0" * 64)),
         "cookie"),
        ("login, bad field", compact(dict(login, v="2")), "error"),
        ("login, version 1", compact(dict(login, v=1)), "error"),
        ("chat, random token", compact({"type": "chat", "token": tok,
                                        "id": 1, "text": "hi"}), "error"),
        ("ack, random token", compact({"type": "ack", "token": tok,
                                       "seq": 1}), "error"),
        ("quit, random token", compact({"type": "quit", "token": tok}),
         "error"),
        ("ping, random token", compact({"type": "ping", "token": tok}),
         "error"),
        ("who, random token", compact({"type": "who", "token": tok}),
         "error"),
        ("msg, random token", compact({"type": "msg", "token": tok, "id": 2,
                                       "to": "alice", "text": "x"}), "error"),
        ("rename, random token", compact({"type": "rename", "token": tok,
                                          "id": 3, "name": "x"}), "error"),
        ("discover", compact({"type": "discover", "v": 2}), "here"),
        ("discover padded", padded({"type": "discover", "v": 2}), "here"),
        ("discover, version 1", compact({"type": "discover", "v": 1}),
         "error"),
        ("unknown type", compact({"type": "hello"}), "error"),
    ]


def sweep(srv, rnd):
    """Part 1: every kind from its own fresh socket, SENDS times."""
    x = Client(srv.port)
    other = x.fetch_cookie()
    win, mac = other.split(".")
    stale = "%x.%s" % (max(0, int(win, 16) - 2), mac)
    cases = kinds(rnd, other, stale)
    check(len(cases) >= 30, "at least 30 kinds: %d" % len(cases))
    socks = []
    for name, data, _ in cases:
        c = Client(srv.port)
        c.name = name
        for _ in range(SENDS):
            c.send_raw(data)
        socks.append(c)
    pump_all(socks, 1.0)
    for (name, data, want), c in zip(cases, socks):
        got = [(m["type"], len(m["_raw"])) for m in c.inbox]
        log("%-30s %5d bytes -> %r" % (name, len(data), got))
        check(len(c.inbox) <= SENDS, "%s: %d replies to %d datagrams" %
              (name, len(c.inbox), SENDS))
        for m in c.inbox:
            check(len(m["_raw"]) <= AMPLIFY * len(data),
                  "%s: a %d-byte reply to %d bytes: %r" %
                  (name, len(m["_raw"]), len(data), public(m)))
            check(m["type"] in ("error", "cookie", "here"),
                  "%s: no session, so only an error, cookie or here: %r" %
                  (name, public(m)))
        if want is not None:
            check(any(m["type"] == want for m in c.inbox),
                  "%s: answered with %s: %r" % (name, want, got))
        if len(data) * AMPLIFY < len(b'{"type":"error","code":"bad_json"}'):
            check(c.inbox == [], "%s: too small for any answer: %r" %
                  (name, got))
        c.close()


def spoof(srv):
    """Part 2: the attack; the victims get one cookie each, then nothing."""
    a, b = login_room(srv.port, "alice", "bob")
    for k in range(10):
        a.request_ok("chat", text="history line %d with some words" % k)
    pump_until([a, b], lambda: len(b.received("chat")) == 10, 5.0,
               "the history chats")

    # The attacker completes the round trip from its own address and
    # then never acks: that is its own address it floods, not a victim's.
    att = Client(srv.port, auto_ack=False)
    att.login("attacker")
    # The victims: a login that never comes back with its cookie; one
    # with a forged cookie; one with the attacker's cookie.
    v1 = Client(srv.port)
    v1.send_raw(compact({"type": "login", "v": 2, "name": "victim1"}))
    v2 = Client(srv.port)
    v2.send_raw(compact({"type": "login", "v": 2, "name": "victim2",
                         "cookie": "7." + "cd" * 16}))
    v3 = Client(srv.port)
    v3.send_raw(compact({"type": "login", "v": 2, "name": "victim3",
                         "cookie": att.cookie}))
    victims = [v1, v2, v3]
    for v in victims:
        v.expect("cookie", timeout=2.0)

    # Ten quiet seconds for the victims, while the room is busy: others
    # log in and chat, the attacker's session is retransmitted to.
    deadline = time.monotonic() + QUIET_S
    k = 0
    room = [a, b]
    while time.monotonic() < deadline:
        if k < 5:
            c = Client(srv.port)
            c.login("late%d" % k)
            room.append(c)
        room[k % len(room)].request_ok("chat", text="busy %d" % k)
        k += 1
        pump_all(room + victims + [att], 0.5)
    for v in victims:
        check(v.inbox == [], "a victim got more than its cookie: %r" %
              [public(m) for m in v.inbox])
    check(att.received("welcome") == [] and
          len(att.received("chat", history=True)) >= 10,
          "the attacker's own address got the history (resent): %r" %
          [m["type"] for m in att.inbox][:20])
    names = [m["name"] for m in a.received("join")]
    check(not [n for n in names if n.startswith("victim")],
          "no join for a victim: %r" % names)
    users = b.who()
    check(not [n for n in users if n.startswith("victim")] and
          "late4" in users, "no victim session: %r" % users)


def main():
    srv = Server("--heartbeat", "5", "--history", "50")
    sweep(srv, random.Random(9))
    spoof(srv)
    srv.stop()


run(main)
