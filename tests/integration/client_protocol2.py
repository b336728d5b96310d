#!/usr/bin/env python3
"""The client side of protocol 2, against a scripted server
(tests/lib/fakeserver.py) that records every datagram the client sends:

- the first login carries no cookie, no proof and no password, is
  padded to at least 128 bytes, and carries a cid of 16 lowercase hex
  digits; the server's cookie brings the same login again at once, with
  the cookie and the same cid; a cookie answered to that (expired) brings
  the login again with the new one;
- with a password, the login with the cookie carries proof, the lowercase
  hex HMAC-SHA256 keyed with the password of the cookie, and no datagram
  holds the password;
- requests are numbered from the welcome's next_id;
- the welcome's topic, topic messages (set and cleared), an action chat
  (* bob waves), a leave with the quitter's words are shown;
- /me sends a chat with "action": true, shown as * alice ...;
- Resume: after no_session the client logs in again (the same round
  trip); the new welcome's next_id says two of three pending lines were
  acted on: they are shown delivered and not sent again, the third is
  sent again as id next_id;
- a replayed history chat whose mid was shown is not shown again, one
  with a new mid is;
- /quit TEXT sends quit with the text; a line still pending then is
  said not delivered;
- bad_version: the client says the server speaks another protocol
  version, and exits 1.
"""
import hashlib
import hmac
import json
import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from chattest import check, log, run  # noqa: E402
from clienttest import TIME_RE, PlainClient  # noqa: E402
from fakeserver import FakeServer  # noqa: E402

T = "^" + TIME_RE + " "
RUN = "00112233aabbccdd"


def logins(fs):
    return [(raw, json.loads(raw)) for raw in fs.raw("login")]


def check_first_login(raw, o, name):
    check(len(raw) >= 128, "the first login is padded to 128 bytes: %d %r"
          % (len(raw), raw))
    check(o.get("v") == 2 and o.get("name") == name,
          "a version 2 login as %s: %r" % (name, o))
    check(isinstance(o.get("pad"), str) and o["pad"].strip() == "",
          "padded with spaces in pad: %r" % o)
    for k in ("cookie", "proof", "password"):
        check(k not in o, "no %s in the first login: %r" % (k, o))
    check(re.fullmatch("[0-9a-f]{16}", o.get("cid", "")) is not None,
          "a cid of 16 lowercase hex digits: %r" % o)


def round_trip_and_display():
    fs = FakeServer(run=RUN, next_id=5, topic="exam on friday")
    try:
        fs.refuse_next_cookie = True    # the first cookie "expires"
        a = PlainClient(fs.port, "alice")
        got = logins(fs)
        check(len(got) == 3, "login, login with cookie 1, login with "
              "cookie 2: %r" % [o for _, o in got])
        check_first_login(got[0][0], got[0][1], "alice")
        cid = got[0][1]["cid"]
        for (raw, o), cookie in zip(got[1:], ("fake-cookie-1",
                                              "fake-cookie-2")):
            check(o.get("cookie") == cookie and o.get("cid") == cid and
                  o.get("name") == "alice" and "proof" not in o and
                  "password" not in o,
                  "the same login again with %s: %r" % (cookie, o))
        log("logins:", [len(r) for r, _ in got])
        a.wait_line(T + r"-- topic: exam on friday$")

        fs.send({"type": "chat", "seq": fs.next_seq(), "ts": fs.ts(),
                 "mid": 1, "from": "bob", "text": "waves", "action": True})
        a.wait_line(T + r"\* bob waves$")
        fs.send({"type": "topic", "seq": fs.next_seq(), "ts": fs.ts(),
                 "text": "lab closed"})
        a.wait_line(T + r"-- topic: lab closed$")
        fs.send({"type": "topic", "seq": fs.next_seq(), "ts": fs.ts()})
        a.wait_line(T + r"-- topic cleared$")
        fs.send({"type": "announce", "seq": fs.next_seq(), "ts": fs.ts(),
                 "mid": 2, "text": "lab opens at 9"})
        a.wait_line(T + r"!! lab opens at 9$")
        fs.send({"type": "leave", "seq": fs.next_seq(), "ts": fs.ts(),
                 "name": "bob", "reason": "quit", "text": "see you tomorrow"})
        a.wait_line(T + r"-- bob left \(quit: see you tomorrow\)$")
        fs.wait(lambda: len(fs.sent("ack")) >= 5, "acks of seq 1-5")

        a.say("/me waves back")
        a.wait_line(T + r"\* alice waves back$")
        me = fs.sent("chat", text="waves back")
        check(len(me) == 1 and me[0].get("action") is True and
              me[0].get("id") == 5,
              "/me is a chat with action true, id next_id 5: %r" % me)

        # Resume: three lines the server does not ack, then no_session.
        fs.ack = False
        for text in ("one", "two", "three"):
            a.say(text)
        fs.wait(lambda: len(fs.sent("chat", text="three")) >= 1, "three")
        ids = [fs.sent("chat", text=t)[0]["id"] for t in
               ("one", "two", "three")]
        check(ids == [6, 7, 8], "ids follow on: %r" % ids)
        old = fs.token
        fs.next_id = 8                  # one and two were acted on
        fs.ack = True
        n_logins = len(fs.raw("login"))
        fs.send({"type": "error", "code": "no_session",
                 "text": "no such session: log in again"})
        a.wait_line(T + r"-- reconnected$", 10.0)
        again = logins(fs)[n_logins:]
        check(len(again) >= 2, "logged in again with a round trip: %r" %
              [o for _, o in again])
        check_first_login(again[0][0], again[0][1], "alice")
        check(again[0][1]["cid"] == cid and again[-1][1].get("cid") == cid,
              "the same cid in every login")
        a.wait_line(T + r"<alice> three$", 10.0)
        for t in ("one", "two"):
            check(len(a.matching(T + r"<alice> %s$" % t)) == 1,
                  "%s shown delivered, once" % t)
            later = [o for o in fs.sent("chat", text=t)
                     if o.get("token") != old]
            check(later == [], "%s not sent again: %r" % (t, later))
        three = [o for o in fs.sent("chat", text="three")
                 if o.get("token") == fs.token]
        check(three and all(o["id"] == 8 for o in three),
              "three sent again as id 8 with the new token: %r" % three)

        # The replay after the re-login: mids 1 and 2 were shown.
        for m in ({"type": "chat", "mid": 1, "from": "bob", "text": "waves",
                   "action": True},
                  {"type": "announce", "mid": 2, "text": "lab opens at 9"},
                  {"type": "chat", "mid": 9, "from": "carol",
                   "text": "while you were away"}):
            m.update(seq=fs.next_seq(), ts=fs.ts(), history=True)
            fs.send(m)
        a.wait_line(T + r"\[history\] <carol> while you were away$")
        check(len(a.matching(r"\* bob waves$")) == 1,
              "the action of mid 1 is not shown again: %r" %
              a.matching(r"bob waves"))
        check(len(a.matching(r"!! lab opens at 9$")) == 1,
              "the announce of mid 2 is not shown again")

        # Never acked, then the user quits: the session has ended for
        # good, so the line was not delivered.
        fs.ack = False
        a.say("last words")
        fs.wait(lambda: fs.sent("chat", text="last words"), "last words")
        a.send("/quit see you")
        a.finish()
        q = fs.sent("quit")
        check(q and q[0].get("text") == "see you",
              "/quit TEXT sends quit with the text: %r" % q)
        check(a.matching(T + r"error: not delivered: last words$"),
              "a line pending at the end is not delivered: %r" %
              a.lines[-3:])
    finally:
        fs.stop()


def proof():
    fs = FakeServer()
    password = "s3cret pässword"
    with tempfile.NamedTemporaryFile("w", suffix=".pw") as f:
        f.write(password + "\n")
        f.flush()
        try:
            a = PlainClient(fs.port, "bob", args=("--password-file", f.name))
            got = logins(fs)
            check(len(got) == 2, "two logins: %r" % [o for _, o in got])
            check_first_login(got[0][0], got[0][1], "bob")
            want = hmac.new(password.encode(), b"fake-cookie-1",
                            hashlib.sha256).hexdigest()
            check(got[1][1].get("proof") == want,
                  "proof is HMAC-SHA256(password, cookie): %r, want %s" %
                  (got[1][1], want))
            check(password.encode() not in fs.everything(),
                  "the password never travels")
            a.quit()
        finally:
            fs.stop()


def bad_version():
    fs = FakeServer()
    fs.login_error = "bad_version"
    try:
        a = PlainClient(fs.port, "carol", login=False)
        rc = a.wait_exit(10.0)
        err = a.stderr()
        check(rc == 1, "bad_version: exit 1, not %r" % rc)
        check("another version of the chat protocol" in err,
              "says the server speaks another version: %r" % err)
        log("bad_version:", err.strip())
        a.finish(expect_rc=1)
    finally:
        fs.stop()


def main():
    round_trip_and_display()
    proof()
    bad_version()


if __name__ == "__main__":
    run(main)
