#!/usr/bin/env python3
"""A quit storm with a few sessions staying: 300 sessions quit at once
(more than the 256 unacked a session may have) while 3 stay and ack
everything. Every quitter gets bye, each stayer gets a leave with
reason quit for every quitter and none with timeout, and the stayers'
own sessions live on (ping answered, their quit answered with bye).
Before the fix the server removed the quitters in one timer run, so a
stayer got 300 leaves before it could ack one and was expired."""

import json
import os
import select
import socket
import sys
import time
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403


QUITTERS = 300
STAYERS = 3


class Peer:
    def __init__(self, port, name):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.setblocking(False)
        self.addr = ("127.0.0.1", port)
        self.name = name
        self.token = None
        self.cookie = None
        self.bye = False
        self.quitting = False     # quit sent: acks would race the bye
        self.errors = []
        self.leaves = {}          # seq -> (name, reason)
        self.last = 0.0

    def send(self, obj):
        self.sock.sendto(json.dumps(obj, separators=(",", ":")).encode(),
                         self.addr)

    def login(self):
        """The login, padded until the server gave a cookie, then with it."""
        o = {"type": "login", "v": 2, "name": self.name}
        if self.cookie is None:
            self.sock.sendto(padded(o), self.addr)
        else:
            self.send(dict(o, cookie=self.cookie))

    def read(self):
        while True:
            try:
                data = self.sock.recv(2048)
            except BlockingIOError:
                return
            m = json.loads(data.decode())
            t = m.get("type")
            if t == "cookie" and self.token is None:
                self.cookie = m["cookie"]
                self.login()
            elif t == "welcome":
                self.token = m["token"]
            elif t == "bye":
                self.bye = True
            elif t == "error":
                self.errors.append(m.get("code"))
            elif t == "leave":
                self.leaves[m["seq"]] = (m["name"], m["reason"])
            # After bye the session is gone: a real client stops here.
            if "seq" in m and self.token is not None and not self.bye and \
                    not self.quitting:
                self.send({"type": "ack", "token": self.token,
                           "seq": m["seq"]})


def drive(peers, retry, done, timeout, what):
    """Reads and acks for every peer, calls retry(p) on each peer every
    0.5 s, until done() or the deadline."""
    by_fd = {p.sock.fileno(): p for p in peers}
    deadline = time.monotonic() + timeout
    while not done():
        now = time.monotonic()
        check(now < deadline, "timed out waiting for " + what)
        for p in peers:
            if now - p.last >= 0.5:
                if retry(p):
                    p.last = now
        r, _, _ = select.select([p.sock for p in peers], [], [], 0.02)
        for s in r:
            by_fd[s.fileno()].read()


def main():
    srv = Server("--heartbeat", "60", "--max-per-host",
                 str(QUITTERS + STAYERS))
    peers = [Peer(srv.port, "q%d" % k) for k in range(QUITTERS)]
    stay = [Peer(srv.port, "stay%d" % k) for k in range(STAYERS)]
    every = stay + peers

    def login(p):
        if p.token is None:
            p.login()
            return True
        return False
    drive(every, login, lambda: all(p.token for p in every), 60,
          "every login's welcome")

    for p in peers:
        p.last = 0.0

    def quit(p):
        if not p.bye:
            p.send({"type": "quit", "token": p.token})
            return True
        return False
    drive(every, lambda p: p in peers and quit(p),
          lambda: all(p.bye for p in peers) and
          all(len(s.leaves) >= QUITTERS for s in stay), 20,
          "every bye, and every leave at each stayer")

    for s in stay:
        timeouts = [n for n, r in s.leaves.values() if r != "quit"]
        check(not timeouts, "%s: leaves not of reason quit: %r" %
              (s.name, timeouts[:5]))
        names = set(n for n, _ in s.leaves.values())
        check(names == set(p.name for p in peers),
              "%s got a leave for each quitter" % s.name)
        check("no_session" not in s.errors,
              "%s was never told no_session (it was expired while "
              "healthy)" % s.name)
    for s in stay:
        s.last = 0.0
        # An ack sent after the quit, of a leave still coming in, meets
        # a session already gone and gets no_session: not the quit's.
        s.quitting = True
    drive(stay, quit, lambda: all(s.bye for s in stay), 10,
          "the stayers' own quits to get bye")
    for s in stay:
        check("no_session" not in s.errors,
              "%s's quit got bye, not no_session" % s.name)
    srv.stop()


run(main)
