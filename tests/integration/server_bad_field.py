#!/usr/bin/env python3
"""A field missing or of the wrong JSON type gets bad_field, for every
request type, and changes nothing. Cases are spread over a few sessions
(errors are rate limited per source) and sent again until answered, each
padded to 128 bytes (an unknown field "pad") so that the error's words fit
the server's budget of 3 times the request. A login's fields are checked
before its cookie: a bad one gets bad_field, not a cookie."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403


T = "TOKEN"   # replaced by the sending session's token


def cases():
    c = []
    # login (from fresh sockets: no token involved)
    for o in ({"name": "zed"}, {"v": "1", "name": "zed"},
              {"v": None, "name": "zed"}, {"v": 2}, {"v": 2, "name": 5},
              {"v": 2, "name": None}, {"v": 2, "name": ["zed"]},
              {"v": 2, "name": "zed", "cookie": 5},
              {"v": 2, "name": "zed", "cookie": ""},
              {"v": 2, "name": "zed", "proof": 5},
              {"v": 2, "name": "zed", "proof": "not hex"},
              {"v": 2, "name": "zed", "cid": 5},
              {"v": 2, "name": "zed", "caps": "batch"}):
        o["type"] = "login"
        c.append(("fresh", o))
    for o in ({}, {"v": "1"}, {"v": [1]}):
        o["type"] = "discover"
        c.append(("fresh", o))
    req = {
        "chat": {"token": T, "id": 1, "text": "x"},
        "msg": {"token": T, "id": 1, "to": "observer", "text": "x"},
        "rename": {"token": T, "id": 1, "name": "zed"},
        "who": {"token": T},
        "ping": {"token": T},
        "ack": {"token": T, "seq": 1},
        "quit": {"token": T},
    }
    wrong = {"token": [5, None, ["t"]], "id": ["1", None, True, [1], {"n": 1}],
             "text": [5, None, ["x"], {"t": "x"}], "to": [5, None],
             "name": [5, None, True], "seq": ["1", None, [1]]}
    for typ, fields in req.items():
        for k in fields:
            o = dict(fields, type=typ)
            del o[k]
            c.append(("session", o))
            for bad in wrong[k]:
                o = dict(fields, type=typ)
                o[k] = bad
                c.append(("session", o))
    return c


# The contract: integers are JSON numbers below 2^53 (whole, 0 or more).
RANGE = [{"type": "chat", "token": T, "id": 2 ** 53, "text": "x"},
         {"type": "chat", "token": T, "id": -1, "text": "x"},
         {"type": "chat", "token": T, "id": 1.5, "text": "x"},
         {"type": "ack", "token": T, "seq": 2 ** 60}]


def main():
    srv = Server()
    obs = Client(srv.port)
    obs.login("observer")
    pool = []
    for k in range(4):
        c = Client(srv.port)
        c.login("s%d" % k)
        pool.append(c)
        obs.expect("join", name="s%d" % k)
    last = 4                      # the 4 joins
    n = 0
    for where, o in cases() + [("session", r) for r in RANGE]:
        if where == "fresh":
            c = Client(srv.port)
        else:
            c = pool[n % len(pool)]
            n += 1
            o = dict((k, (c.token if v == T else v)) for k, v in o.items())
        c.name = "sending %r" % o
        c.ask_error(padded(o), "bad_field", timeout=8.0)
        if where == "fresh":
            c.close()
    users = obs.who()
    check(sorted(users) == ["observer", "s0", "s1", "s2", "s3"],
          "no session made or ended: %r" % users)
    # Each pool session's id 1 is still unused, and nothing was forwarded.
    for k, c in enumerate(pool):
        c.name = "s%d" % k
        c.request_ok("chat", id=1, text="probe %d" % k)
        m = obs.expect("chat", text="probe %d" % k)
        last += 1
        check(m["seq"] == last, "observer's seq %d, wanted %d: something "
              "was forwarded before" % (m["seq"], last))
    obs.barrier()
    check(obs.received("chat") == [] and obs.received("msg") == [] and
          obs.received("rename") == [],
          "nothing else was forwarded: %r" % [public(m) for m in obs.inbox])
    srv.stop()


run(main)
