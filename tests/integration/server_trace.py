#!/usr/bin/env python3
"""chat_server --trace, as a student reads it (docs/lesson.md):

- one line per datagram: a wall-clock time in ms, in/out, the peer and
  its session's name, the size in bytes, what it is in words, then the
  datagram;
- a client that does not ack gets the chat again: the lines say
  'resent: send 2', 'send 3', 'send 4', about 250, 750 and 1750 ms
  after send 1, and their time stamps are about 250, 500 and 1000 ms
  apart;
- an ack names what it acks ('ack of id 1' to the sender, 'ack of seq N'
  from the receiver);
- never the password (not even one a version-1 login puts in a field),
  never a whole proof, token or cookie: the first 6 characters only;
- --trace=chat,ack --trace-name bob shows only chats and acks of bob's
  session or naming bob; --trace=classroom shows a student's L and the
  server's OK; an unknown kind is refused at start-up.
"""
import re
import subprocess
import sys
import os
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from chattest import (Client, Server, SERVER_BIN, check, login_room, run,  # noqa
                      wait_until)

LINE = re.compile(r"^chat_server: (\d\d):(\d\d):(\d\d)\.(\d\d\d) (in |out) "
                  r"(\S+)(?: \((\S+)\))? (\d+) bytes: (.*?)  (.*)$")
PASSWORD = "s3cret-pass"


def lines(srv):
    """The trace lines so far, as (ms of day, dir, peer, who, size,
    words, datagram)."""
    out = []
    for ln in srv.stderr().splitlines():
        m = LINE.match(ln)
        if m:
            h, mi, s, ms = (int(x) for x in m.group(1, 2, 3, 4))
            out.append((((h * 60 + mi) * 60 + s) * 1000 + ms,
                        m.group(5).strip(), m.group(6), m.group(7),
                        int(m.group(8)), m.group(9), m.group(10)))
    return out


def retransmits():
    srv = Server("--trace")
    alice, bob = login_room(srv.port, "alice", "bob")
    bob.auto_ack = False
    alice.request_ok("chat", text="hello bob")
    sends = {}

    def four():
        sends.clear()
        for t in lines(srv):
            if t[1] == "out" and t[3] == "bob" and \
                    t[5].startswith("chat ") and "hello bob" in t[6]:
                m = re.search(r"resent: send (\d+), (\d+) ms after send 1",
                              t[5])
                sends[int(m.group(1)) if m else 1] = (t[0], m)
        return len(sends) >= 4
    wait_until(four, 10, "the chat to bob sent 4 times")
    check(sorted(sends)[:4] == [1, 2, 3, 4], "sends 1-4: %r" % sends)
    gaps = [sends[n + 1][0] - sends[n][0] for n in (1, 2, 3)]
    for gap, want in zip(gaps, (250, 500, 1000)):
        check(want * 0.8 <= gap <= want * 1.8,
              "retransmits %r ms apart, want about 250/500/1000" % gaps)
    for n, want in ((2, 250), (3, 750), (4, 1750)):
        after = int(sends[n][1].group(2))
        check(want * 0.9 <= after <= want * 1.5,
              "send %d says %d ms after send 1, want about %d" %
              (n, after, want))
    seq = re.search(r"chat seq (\d+) from alice", "\n".join(
        t[5] for t in lines(srv) if t[3] == "bob")).group(1)
    bob.auto_ack = True
    bob.pump(0.5)
    wait_until(lambda: any(t[1] == "in" and t[3] == "bob" and
                           t[5] == "ack of seq %s" % seq
                           for t in lines(srv)), 5, "bob's ack named")
    check(any(t[1] == "out" and t[3] == "alice" and t[5] == "ack of id 1"
              for t in lines(srv)), "alice's ack named: ack of id 1")
    for t in lines(srv):
        check(t[4] == len(t[6].encode()) or "…" in t[6] or
              "padding" in t[6] or "\\x" in t[6],
              "size %d is the datagram's: %r" % (t[4], t))
    srv.stop()


def secrets():
    with tempfile.NamedTemporaryFile("w", suffix=".pw") as pw:
        pw.write(PASSWORD + "\n")
        pw.flush()
        srv = Server("--trace", "--password-file", pw.name)
        c = Client(srv.port)
        w = c.login("alice", password=PASSWORD)
        # A version-1 client put the password in the login itself.
        c.send_raw('{"type":"login","v":1,"name":"eve","password":"%s"}' %
                   PASSWORD)
        c.expect_error("bad_version")
        c.ping()
        err = srv.stderr()
        srv.stop()
    check(PASSWORD not in err, "the password is never in the trace")
    check("(hidden)" in err, "a password field shows as (hidden)")
    check(w["token"] not in err, "the whole token is not in the trace")
    check('"token":"%s…"' % w["token"][:6] in err,
          "the token shows its first 6 characters")
    check(c.cookie not in err, "the whole cookie is not in the trace")
    check(not re.search(r'"proof": ?"[0-9a-f]{7,}', err),
          "the proof is cut to 6 characters")
    check(re.search(r'"proof": ?"[0-9a-f]{6}…"', err), "the proof shows")


def filters():
    srv = Server("--trace=chat,ack", "--trace-name", "bob")
    alice, bob, carol = login_room(srv.port, "alice", "bob", "carol")
    alice.request_ok("chat", text="to everyone")
    bob.expect("chat", text="to everyone")
    carol.expect("chat", text="to everyone")
    bob.request_ok("chat", text="bob speaks")
    alice.expect("chat", text="bob speaks")
    carol.expect("chat", text="bob speaks")
    bob.ping()
    wait_until(lambda: any(t[1] == "in" and t[3] == "bob" and
                           t[5].startswith("ack of seq")
                           for t in lines(srv)), 5, "bob's ack traced")
    wait_until(lambda: sum(1 for t in lines(srv) if t[3] == "carol") >= 1,
               5, "bob's chat to carol traced")
    got = lines(srv)
    for t in got:
        check(t[5].split()[0] in ("chat", "ack"),
              "only chats and acks: %r" % (t,))
        check(t[3] == "bob" or "bob" in t[5],
              "only bob's session or lines naming bob: %r" % (t,))
    check(any(t[3] == "bob" and t[1] == "out" and "from alice" in t[5]
              for t in got), "alice's chat to bob is there")
    check(not any("ping" in t[5] or "login" in t[5] for t in got),
          "no pings or logins")
    srv.stop()

    srv = Server("--classroom", "--trace=classroom")
    s = Client(srv.port)
    s.send_raw("L 小明".encode())
    wait_until(lambda: any(t[5] == "classroom line" and t[6] == "OK"
                           for t in lines(srv)), 5, "the OK traced")
    check(any(t[1] == "in" and t[5] == "classroom L (login) 小明"
              for t in lines(srv)), "the student's L traced")
    srv.stop()

    r = subprocess.run([SERVER_BIN, "-p", "0", "--trace=chat,pnig"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       timeout=10)
    check(r.returncode == 2 and b"'pnig'" in r.stderr,
          "an unknown kind is refused: %d %r" % (r.returncode, r.stderr))


def main():
    retransmits()
    secrets()
    filters()


run(main)
