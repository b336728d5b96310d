#!/usr/bin/env python3
"""The address check on the wire (docs/protocol.md, "Sessions"): a login
without a cookie gets {"type":"cookie","cookie":C} and nothing else, C
at most 64 printable ASCII characters; the same login with C gets the
welcome; C from another port, or altered, gets a new cookie, never a
welcome; what is wrong with the login itself (its name, a name taken,
the room full) is said only once the cookie is valid (and logged with
its address then); a login that never comes back leaves no session, no
join and no log line."""

import os
import re
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403


def login_bytes(name, cookie=None, pad=True):
    o = {"type": "login", "v": 2, "name": name}
    if cookie is not None:
        o["cookie"] = cookie
    return padded(o) if pad else json.dumps(o, separators=(",", ":")).encode()


def only_cookie(c, data, what):
    """Sends data once; the one answer is a cookie; returns it."""
    c.send_raw(data)
    m = c.expect("cookie", timeout=2.0)
    c.pump(0.2)
    check(c.inbox == [], "%s: the cookie and nothing else: %r" %
          (what, [public(x) for x in c.inbox]))
    check(len(m["_raw"]) <= 3 * len(data), "%s: %d bytes for %d" %
          (what, len(m["_raw"]), len(data)))
    check(set(public(m)) == {"type", "cookie"}, "%s: only type and cookie: "
          "%r" % (what, public(m)))
    ck = m["cookie"]
    check(isinstance(ck, str) and 1 <= len(ck) <= 64 and
          all(0x20 < ord(ch) < 0x7f for ch in ck),
          "%s: a cookie is 1-64 printable ASCII characters: %r" % (what, ck))
    return ck


def tamper(ck):
    """C with one character changed (still printable ASCII)."""
    i = len(ck) - 1
    return ck[:i] + ("0" if ck[i] != "0" else "1")


def main():
    srv = Server("--max-clients", "3")
    obs = Client(srv.port)
    obs.login("observer")
    log_before = srv.stderr()

    a = Client(srv.port)
    a.name = "alice"
    ck = only_cookie(a, login_bytes("alice"), "a padded login")
    # Unpadded, 33 bytes: 99 may go back, and the cookie fits.
    small = login_bytes("a", pad=False)
    check(len(small) == 33, "setup: %r" % small)
    only_cookie(Client(srv.port), small, "an unpadded login")
    # The cookie stays the same within its window for one address.
    check(only_cookie(a, login_bytes("alice"), "again") == ck,
          "the same address gets the same cookie")

    # With the cookie: the welcome.
    a.send_raw(login_bytes("alice", ck, pad=False))
    w = a.expect("welcome")
    check(w["name"] == "alice" and is_token(w["token"]), "welcome: %r" %
          public(w))
    obs.expect("join", name="alice")
    a.token = w["token"]
    # The same login with the same cookie: the same welcome (idempotent).
    a.send_raw(login_bytes("alice", ck, pad=False))
    w2 = a.expect("welcome")
    check(w2["token"] == w["token"], "the same welcome again")

    # alice's cookie from another port is not valid there.
    e = Client(srv.port)
    e.name = "eve"
    ck2 = only_cookie(e, login_bytes("eve", ck), "alice's cookie from "
                      "another port")
    check(ck2 != ck, "another port gets another cookie")
    for bad in (tamper(ck), ck + "0", ck[:-1], "0." + "0" * 32, "x"):
        only_cookie(e, login_bytes("eve", bad), "cookie %r" % bad)

    # Name errors only after the cookie: bad_name, name_taken, full.
    for name, code in (("/bad", "bad_name"), ("al ice", "bad_name"),
                       ("alice", "name_taken"), ("\u0430lice", "name_taken"),
                       ("\ufeffeve", "bad_name")):
        x = Client(srv.port)
        x.name = "login %r" % name
        x.cookie = only_cookie(x, login_bytes(name), "login %r without a "
                               "cookie" % name)
        x.send_raw(login_bytes(name, x.cookie, pad=False))
        x.expect_error(code)
    b = Client(srv.port)
    b.login("bob")
    obs.expect("join", name="bob")
    f = Client(srv.port)
    f.name = "fourth"
    f.cookie = only_cookie(f, login_bytes("fourth"), "a login to a full "
                           "room, without a cookie")
    f.send_raw(login_bytes("fourth", f.cookie))
    f.expect_error("full")

    # None of it made a session or a join; the log has the two joins and
    # the refusals of logins that came back with their cookie (each with
    # its address), nothing for the cookie-less ones.
    obs.barrier()
    check(obs.received("join") == [], "no join for the cookie logins: %r" %
          [public(m) for m in obs.received("join")])
    check(sorted(obs.who()) == ["alice", "bob", "observer"], "the room")
    log_after = srv.stderr()[len(log_before):]
    lines = [ln for ln in log_after.splitlines() if ln.strip()]
    check([ln for ln in lines if not re.search(r"join (alice|bob) from",
                                                ln)] ==
          [ln for ln in lines if re.search(r"refused login of \S+ from "
                                           r"127\.0\.0\.1:\d+: "
                                           r"(name taken|full)$", ln)],
          "no log line but the two joins and the refusals: %r" % lines)
    check(len([ln for ln in lines if "refused login" in ln]) == 3,
          "alice, \u0430lice and fourth refused: %r" % lines)
    srv.stop()


run(main)
