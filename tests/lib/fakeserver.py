"""A scripted protocol 2 server on loopback for client tests (stdlib only).

It plays the server's side of docs/protocol.md just far enough for a
real chat_client to log in and talk, and records every datagram the
client sends, so a test can check what the client put on the wire and
make the server do what the real one does only rarely (a cookie that
expired, a no_session at a chosen moment, a welcome whose next_id says
requests were acted on, a history replay with chosen mids):

    fs = FakeServer(run="0123456789abcdef", next_id=5)
    c = PlainClient(fs.port, "alice")
    fs.wait(lambda: fs.sent("chat"), "a chat")
    fs.send({"type": "chat", "seq": fs.next_seq(), "ts": fs.ts(), ...})
    fs.stop()

Logins: one without a cookie gets {"type":"cookie"} (a new cookie per
answer: "fake-cookie-1", "-2", ...); one with the cookie last given gets
a welcome (a new token per login, next_id and run from the attributes);
set refuse_next_cookie to answer the next login with a cookie by a new
cookie instead (an expired cookie), login_error to a code to refuse
logins, or drop_logins to N to leave the next N logins unanswered (as
if lost). Requests (chat, msg, rename) are acked unless ack is False;
reliable messages the test sends get seq numbers from next_seq(), and
the client's acks are recorded. who gets users, ping pong, quit bye.

Safety: it binds 127.0.0.1 only, answers only the one client address
that logged in first, runs one daemon thread that waits with select and a
timeout, and stops by itself after max_lifetime seconds.
"""

import json
import select
import socket
import threading
import time


class FakeServer:
    def __init__(self, run="0123456789abcdef", next_id=1, heartbeat=5,
                 room="lobby", topic=None, max_lifetime=120):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.run = run
        self.next_id = next_id
        self.heartbeat = heartbeat
        self.room = room
        self.topic = topic
        self.ack = True
        self.refuse_next_cookie = False
        self.login_error = None
        self.drop_logins = 0
        self.got = []           # (raw bytes, decoded object or None)
        self.client = None
        self.token = None
        self.cookie = None
        self.cookies = 0
        self.tokens = 0
        self.seq = 0
        self.lock = threading.Lock()
        self.stop_at = time.monotonic() + max_lifetime
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    # ---- what the test calls ----

    def stop(self):
        self.stopping.set()
        self.thread.join(2)
        self.sock.close()

    def ts(self):
        return int(time.time() * 1000)

    def next_seq(self):
        with self.lock:
            self.seq += 1
            return self.seq

    def send(self, obj):
        """One datagram to the client, as compact JSON."""
        data = json.dumps(obj, separators=(",", ":"),
                          ensure_ascii=False).encode()
        self.sock.sendto(data, self.client)

    def sent(self, typ, **match):
        """What the client sent of type typ (decoded), in order."""
        with self.lock:
            return [o for _, o in self.got if o is not None and
                    o.get("type") == typ and
                    all(o.get(k) == v for k, v in match.items())]

    def raw(self, typ):
        """The raw datagrams of type typ, in order."""
        with self.lock:
            return [r for r, o in self.got if o is not None and
                    o.get("type") == typ]

    def everything(self):
        with self.lock:
            return b"\n".join(r for r, _ in self.got)

    def wait(self, pred, what, timeout=10.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            v = pred()
            if v:
                return v
            time.sleep(0.01)
        raise AssertionError("fake server: timed out waiting for " + what)

    # ---- the loop ----

    def _loop(self):
        while not self.stopping.is_set() and time.monotonic() < self.stop_at:
            r, _, _ = select.select([self.sock], [], [], 0.05)
            if not r:
                continue
            try:
                data, peer = self.sock.recvfrom(65535)
            except OSError:
                return
            if self.client is None:
                self.client = peer
            if peer != self.client:
                continue
            try:
                o = json.loads(data)
            except ValueError:
                o = None
            with self.lock:
                self.got.append((data, o))
            if isinstance(o, dict):
                self._answer(o)

    def _answer(self, o):
        t = o.get("type")
        if t == "login":
            self._login(o)
        elif t in ("chat", "msg", "rename"):
            if self.ack:
                self.send({"type": "ack", "id": o.get("id")})
        elif t == "ping":
            self.send({"type": "pong"})
        elif t == "who":
            self.send({"type": "users", "users": ["x"]})
        elif t == "quit":
            self.send({"type": "bye"})

    def _new_cookie(self):
        self.cookies += 1
        self.cookie = "fake-cookie-%d" % self.cookies
        self.send({"type": "cookie", "cookie": self.cookie})

    def _login(self, o):
        if self.drop_logins > 0:
            self.drop_logins -= 1
            return
        if "cookie" not in o or o["cookie"] != self.cookie:
            self._new_cookie()
            return
        if self.refuse_next_cookie:
            self.refuse_next_cookie = False
            self._new_cookie()
            return
        if self.login_error is not None:
            self.send({"type": "error", "code": self.login_error,
                       "text": "refused by the fake server"})
            return
        self.tokens += 1
        self.token = "%032x" % (0xfeed0000 + self.tokens)
        self.seq = 0
        w = {"type": "welcome", "name": o.get("name"), "token": self.token,
             "users": [o.get("name")], "heartbeat": self.heartbeat,
             "room": self.room, "run": self.run, "next_id": self.next_id}
        if self.topic is not None:
            w["topic"] = self.topic
        self.send(w)
