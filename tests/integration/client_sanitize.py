#!/usr/bin/env python3
"""Nothing a peer sends reaches the terminal raw.

A raw UDP peer acts as the server: it answers the login with a welcome
(whose motd holds an ESC sequence and a C1 control),
then sends chat, msg, announce, join and rename carrying ESC sequences,
BEL, C1 controls (CSI U+009B), a bidi override, the bidi marks (RLM,
LRM, ALM), default-ignorable characters (U+200B, U+FEFF, U+2060, U+00AD,
tags) in a text and a name, and datagrams with
invalid UTF-8 and raw control bytes. The client's stdout must hold no
ESC, BEL or C1 byte and be valid UTF-8, with the controls shown in caret
notation (^[) and U+FFFD, the ignorables as U+FFFD too (but the joiner
inside an emoji, which is drawn as part of it). A chat from another address (spoofed source)
is never shown. Every seq is acked.
"""
import json
import os
import socket
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from chattest import TestFailure, check, log, run  # noqa: E402
from clienttest import TIME_RE, PlainClient  # noqa: E402

TOKEN = "0123456789abcdef0123456789abcdef"


class FakeServer:
    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.peer = None
        self.acks = set()
        self.seq = 0

    def recv(self, timeout=5.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                data, addr = self.sock.recvfrom(2048)
            except socket.timeout:
                continue
            m = json.loads(data)
            if m.get("type") == "ack":
                self.acks.add(m["seq"])
            return m, addr
        return None, None

    def expect(self, typ, timeout=5.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            m, addr = self.recv(deadline - time.monotonic())
            if m is not None and m.get("type") == typ:
                return m, addr
        raise TestFailure("fake server: no %s" % typ)

    def send_raw(self, data):
        self.sock.sendto(data, self.peer)

    def send(self, obj, seq=True):
        if seq:
            self.seq += 1
            obj["seq"] = self.seq
            obj["ts"] = int(time.time() * 1000)
        self.send_raw(json.dumps(obj).encode())


def main():
    fake = FakeServer()
    c = PlainClient(fake.port, "alice", login=False)
    m, addr = fake.expect("login")
    fake.peer = addr
    fake.send({"type": "welcome", "name": "alice", "token": TOKEN,
               "users": ["alice", "evil"], "heartbeat": 5, "room": "lobby",
               "motd": "M \x1b[5m blink \x9b"},
              seq=False)
    c.wait_logged_in()

    esc = "\x1b[2J\x1b]0;pwned\x07\x1b[31m"
    fake.send({"type": "chat", "from": "evil", "text": "A " + esc + " end"})
    fake.send({"type": "chat", "from": "ev\x1bil", "text": "B \x9b31m csi"})
    fake.send({"type": "msg", "from": "evil", "text": "C \u202e reversed"})
    fake.send({"type": "chat", "from": "evil",
               "text": "H \u200f rlm \u200e lrm \u061c alm"})
    fake.send({"type": "chat", "from": "ev\u200bil",
               "text": "I \u200b zwsp \ufeff bom \u2060 wj \u00ad shy "
                       "\U000e0068\U000e0069 tags "
                       "\U0001f469\u200d\U0001f4bb coder"})
    fake.send({"type": "announce", "text": "D \x07\x7f\x00bell"})
    fake.send({"type": "join", "name": "x\x1b[8my"})
    fake.send({"type": "rename", "from": "evil", "to": "e\x9bvil"})
    # Invalid UTF-8 and raw control bytes inside the datagram itself:
    # the decoder refuses these whole (never acked, never shown).
    fake.send_raw(b'{"type":"chat","seq":100,"ts":1,"from":"evil",'
                  b'"text":"E \xff\xfe\xc0\xaf bad"}')
    fake.send_raw(b'{"type":"chat","seq":101,"ts":1,"from":"evil",'
                  b'"text":"F \x1b[2J raw"}')
    # From another address: ignored.
    spoof = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    spoof.bind(("127.0.0.1", 0))
    spoof.sendto(json.dumps({"type": "chat", "seq": fake.seq + 1, "ts": 1,
                             "from": "evil", "text": "spoofed"}).encode(),
                 fake.peer)
    spoof.close()
    fake.send({"type": "chat", "from": "evil", "text": "G the end"})

    c.wait_line(TIME_RE + r" <evil> G the end$")
    for line in c.lines:
        log("  " + repr(line))
    # Every seq acked (the client may be slower than our reads).
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline and \
            not set(range(1, fake.seq + 1)) <= fake.acks:
        fake.recv(0.2)
    check(set(range(1, fake.seq + 1)) <= fake.acks,
          "every seq acked: %r" % sorted(fake.acks))

    raw = c.raw
    for bad in (b"\x1b", b"\x07", b"\x9b", b"\x7f", b"\x00"):
        check(bad not in raw, "no raw %r on stdout" % bad)
    try:
        raw.decode("utf-8", errors="strict")
    except UnicodeDecodeError as e:
        raise TestFailure("stdout is not valid UTF-8: %s" % e)
    check("\u202e" not in raw.decode(), "no bidi override on stdout")
    for mark in ("\u200e", "\u200f", "\u061c"):
        check(mark not in raw.decode(), "no bidi mark %r on stdout" % mark)
    check(b"^[[2J" in raw, "ESC shown in caret notation")
    check(c.matching(r"<evil> A .*\^\[\[2J.* end$"), "chat A shown")
    check(c.matching(r"<ev\^\[il> B "), "the sender's name sanitised too")
    check(c.matching(r"\*evil\* C \ufffd reversed$"), "bidi -> U+FFFD")
    check(c.matching(r"<evil> H \ufffd rlm \ufffd lrm \ufffd alm$"),
          "bidi marks -> U+FFFD")
    for inv in ("\u200b", "\ufeff", "\u2060", "\u00ad", "\U000e0068"):
        check(inv not in raw.decode(), "no invisible %r on stdout" % inv)
    check(c.matching(r"<ev\ufffdil> I \ufffd zwsp \ufffd bom \ufffd wj "
                     r"\ufffd shy \ufffd\ufffd tags "
                     "\U0001f469\u200d\U0001f4bb coder$"),
          "ignorables -> U+FFFD, in the name too; an emoji kept whole")
    check(c.matching(r"!! D \^G\^\?"), "announce shown, sanitised")
    check(c.matching(r"-- x\^\[\[8my joined$"), "join name sanitised")
    check(c.matching(r"-- M \^\[\[5m blink \ufffd$"), "motd sanitised")
    check(not c.matching("spoofed"), "a datagram from elsewhere ignored")
    check(not c.matching(r" E | F "), "undecodable datagrams dropped")
    check(100 not in fake.acks and 101 not in fake.acks,
          "undecodable datagrams not acked")

    c.send("/quit")
    m, _ = fake.expect("quit", 3.0)
    check(m.get("token") == TOKEN, "quit carries the token")
    fake.send({"type": "bye"}, seq=False)
    c.finish(expect_rc=0)


if __name__ == "__main__":
    run(main)
