#!/usr/bin/env python3
"""chat_client --trace FILE (the client owns the terminal, so its trace
goes to a file), as a student reads it:

- against the real server: one line per datagram with a wall-clock time
  in ms, in/out, the server's address, the size and the words: the
  login, the cookie, the welcome, alice's 'chat id 1' and its 'ack of
  id 1', bob's 'chat seq N from bob' and alice's 'ack of seq N'; the
  token and the cookie cut to their first characters;
- against a scripted server that never acks: the chat again, marked
  'resent: send 2' and 'send 3', about 250 and 750 ms after send 1;
- a login the server leaves unanswered, sent again, is marked
  'resent: send 2' (about 250 ms after send 1) and 'send 3', the first
  login with the cookie is a first send again, and so is the first
  login of logging in again after no_session (the same bytes as the
  first round's);
- --trace-type chat --trace-name bob keeps only bob's chats;
- --trace-type without --trace, and an unknown kind, are refused.
"""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from chattest import BUILD, Client, Server, check, run, wait_until  # noqa
from clienttest import CLIENT_BIN, PlainClient  # noqa
from fakeserver import FakeServer  # noqa

LINE = re.compile(r"^(\d\d):(\d\d):(\d\d)\.(\d\d\d) (in |out) (\S+) "
                  r"(\d+) bytes: (.*?)  (.*)$")


def path(tag):
    d = os.path.join(BUILD, "test-logs")
    os.makedirs(d, exist_ok=True)
    return os.path.join(d, "client-trace-%s-%d.txt" % (tag, os.getpid()))


def lines(p):
    """(ms of day, dir, peer, size, words, datagram) of each line."""
    out = []
    try:
        with open(p, encoding="utf-8", errors="replace") as f:
            text = f.read()
    except FileNotFoundError:
        return out
    for ln in text.splitlines():
        m = LINE.match(ln)
        check(m is not None, "a trace line of the expected form: %r" % ln)
        h, mi, s, ms = (int(x) for x in m.group(1, 2, 3, 4))
        out.append((((h * 60 + mi) * 60 + s) * 1000 + ms, m.group(5).strip(),
                    m.group(6), int(m.group(7)), m.group(8), m.group(9)))
    return out


def has(p, dirn, words):
    return any(t[1] == dirn and re.fullmatch(words, t[4]) for t in lines(p))


def real_server():
    srv = Server()
    bob = Client(srv.port)
    bob.login("bob")
    pa = path("alice")
    alice = PlainClient(srv.port, "alice", args=("--trace", pa))
    pc = path("carol")
    carol = PlainClient(srv.port, "carol", args=(
        "--trace", pc, "--trace-type", "chat", "--trace-name", "bob"))
    alice.say("hello from alice")
    alice.wait_line(r"<alice> hello from alice")
    bob.request_ok("chat", text="hello from bob")
    alice.wait_line(r"<bob> hello from bob")
    carol.wait_line(r"<bob> hello from bob")
    wait_until(lambda: has(pa, "out", r"ack of seq \d+"), 5,
               "alice's ack of bob's chat in her trace")
    for dirn, words in (("out", r"login alice"), ("in", r"cookie"),
                        ("in", r"welcome alice"), ("out", r"chat id 1"),
                        ("in", r"ack of id 1"),
                        ("in", r"chat seq \d+ from bob")):
        check(has(pa, dirn, words), "alice's trace has %s %s" % (dirn, words))
    seq = re.search(r"chat seq (\d+) from bob", "\n".join(
        t[4] for t in lines(pa))).group(1)
    check(has(pa, "out", r"ack of seq %s" % seq),
          "alice's ack names bob's chat, seq %s" % seq)
    port = ":%d" % srv.port
    for t in lines(pa):
        check(t[2].endswith(port), "the peer is the server: %r" % (t,))
    text = open(pa, encoding="utf-8").read()
    check(not re.search(r"[0-9a-f]{32}", text), "no whole token")
    check(re.search(r'"token":"[0-9a-f]{6}…"', text), "the token, cut")
    check(re.search(r'"cookie":"[^"]*…"', text), "the cookie, cut")
    got = lines(pc)
    check(len(got) >= 1 and all(t[4].startswith("chat ") and "bob" in t[4]
                                for t in got),
          "carol's filtered trace: bob's chats only: %r" % got)
    alice.quit()
    carol.quit()
    srv.stop()


def retransmits():
    fs = FakeServer()
    fs.ack = False
    p = path("resend")
    c = PlainClient(fs.port, "alice", args=("--trace", p))
    c.say("nobody acks this")
    wait_until(lambda: has(p, "out", r"chat id 1 \[resent: send 3, \d+ ms "
                           r"after send 1\]"), 5, "the third send")
    firsts = [t for t in lines(p) if t[1] == "out" and
              t[4].startswith("chat id 1")]
    check(firsts[0][4] == "chat id 1", "send 1 is unmarked: %r" % (firsts[0],))
    after = {}
    for t in firsts:
        m = re.search(r"send (\d+), (\d+) ms after", t[4])
        if m:
            after.setdefault(int(m.group(1)), (int(m.group(2)), t[0]))
    check(200 <= after[2][0] <= 450 and 650 <= after[3][0] <= 1100,
          "sends 2 and 3 about 250 and 750 ms after send 1: %r" % after)
    check(200 <= after[2][1] - firsts[0][0] <= 450,
          "the time stamps agree: %r" % firsts)
    fs.ack = True
    c.wait_line(r"<alice> nobody acks this")
    c.quit()
    fs.stop()


def out_logins(p):
    return [t for t in lines(p) if t[1] == "out" and
            t[4].startswith("login ")]


def resend_of(t):
    """(send, ms after send 1) of a resend's line, or None."""
    m = re.search(r" \[resent: send (\d+), (\d+) ms after send 1\]$", t[4])
    return (int(m.group(1)), int(m.group(2))) if m else None


def login_resends():
    fs = FakeServer()
    fs.drop_logins = 2
    p = path("login")
    c = PlainClient(fs.port, "alice", args=("--trace", p))
    # (A welcome slower than 250 ms brings a resend of the fourth.)
    got = out_logins(p)
    marks = [resend_of(t) for t in got]
    check(len(got) >= 4 and all(m is not None for m in marks[4:]),
          "two logins lost, the third answered with a cookie, the fourth "
          "with it: %r" % [t[4] for t in got])
    check(marks[0] is None and marks[3] is None,
          "the first login and the first with the cookie are unmarked: %r"
          % [t[4] for t in got])
    check(marks[1] is not None and marks[1][0] == 2 and
          200 <= marks[1][1] <= 450 and marks[2] is not None and
          marks[2][0] == 3 and 650 <= marks[2][1] <= 1100,
          "the lost login again: sends 2 and 3, about 250 and 750 ms "
          "after send 1: %r" % [t[4] for t in got])
    check(got[1][5] == got[0][5] and got[3][5] != got[0][5],
          "a resend is the same datagram, the cookie's login another")

    # Logging in again: its first login is a first send.
    n = len(got)
    fs.drop_logins = 1
    fs.send({"type": "error", "code": "no_session",
             "text": "no such session: log in again"})
    c.wait_line(r".*-- reconnected$", 10.0)
    again = out_logins(p)[n:]
    check(len(again) >= 3 and resend_of(again[0]) is None and
          (resend_of(again[1]) or (0,))[0] == 2 and
          resend_of(again[2]) is None and
          all(resend_of(t) is not None for t in again[3:]),
          "logging in again: a first send, its resend, the cookie's: %r"
          % [t[4] for t in again])
    check(again[0][5] == got[0][5], "the same bytes as the first round's")
    c.quit()
    fs.stop()


def refusals():
    for args, want in ((["--trace-type", "chat"], b"--trace FILE"),
                       (["--trace", "/dev/null", "--trace-type", "pnig"],
                        b"'pnig'")):
        r = subprocess.run([CLIENT_BIN, "--plain", "-s", "127.0.0.1:9",
                            "-n", "x"] + args, stdin=subprocess.DEVNULL,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           timeout=10)
        check(r.returncode == 2 and want in r.stderr,
              "%r refused: %d %r" % (args, r.returncode, r.stderr))


def main():
    refusals()
    real_server()
    retransmits()
    login_resends()


run(main)
