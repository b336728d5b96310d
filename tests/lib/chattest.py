"""Helpers for the integration and terminal tests (python3 stdlib only).

Starts the real build/chat_server on a loopback port the OS picks and
talks to it over real UDP. Every wait polls with a deadline; nothing
sleeps for synchronisation.

    from chattest import *
    srv = Server()                      # chat_server -b 127.0.0.1 -p 0
    a = Client(srv.port); a.login("alice")
    b = Client(srv.port); b.login("bob")
    a.chat("hi")
    m = b.expect("chat"); check(m["text"] == "hi", "b got it")
    srv.stop()                          # fails if ASan/UBSan complained

A test script passes by exiting 0 (run() does that), fails by raising.
"""

import json
import os
import re
import select
import signal
import socket
import subprocess
import sys
import time

TOP = os.environ.get("CHAT_TOP") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.environ.get("CHAT_BUILD") or os.path.join(TOP, "build")
SERVER_BIN = os.path.join(BUILD, "chat_server")
CLIENT_BIN = os.path.join(BUILD, "chat_client")

SANITIZER_MARKS = ("AddressSanitizer", "LeakSanitizer",
                   "UndefinedBehaviorSanitizer", "runtime error:")


class TestFailure(Exception):
    pass


def check(cond, what):
    """Asserts cond; what says what a user would have seen."""
    if not cond:
        raise TestFailure(what)


def log(*args):
    print(*args, flush=True)


def wait_until(pred, timeout=5.0, what="condition", interval=0.01):
    """Polls pred() until it returns a true value or the deadline passes."""
    deadline = time.monotonic() + timeout
    while True:
        v = pred()
        if v:
            return v
        if time.monotonic() > deadline:
            raise TestFailure("timed out waiting for " + what)
        time.sleep(interval)


class Server:
    """The real chat_server, bound to 127.0.0.1 on a port the OS picks."""

    def __init__(self, *args, bind="127.0.0.1", stdin=False, port=0,
                 timeout=10.0):
        argv = [SERVER_BIN, "-b", bind, "-p", str(port)] + list(args)
        self.errpath = os.path.join(
            BUILD, "test-logs",
            "server-%d-%d.err" % (os.getpid(), int(time.monotonic() * 1e6)))
        os.makedirs(os.path.dirname(self.errpath), exist_ok=True)
        self.errf = open(self.errpath, "w+")
        self.proc = subprocess.Popen(
            argv, stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=self.errf)
        self.host = bind
        m = wait_until(lambda: self._listening(), timeout,
                       "server to print 'listening on'")
        self.port = int(m.group(2))
        log("server pid %d on %s port %d" % (self.proc.pid, bind, self.port))

    def _listening(self):
        if self.proc.poll() is not None:
            raise TestFailure("server exited early (%d): %s" %
                              (self.proc.returncode, self.stderr()))
        return re.search(r"listening on (\S+) (\d+)", self.stderr())

    def stderr(self):
        with open(self.errpath, errors="replace") as f:
            return f.read()

    def announce(self, line):
        self.proc.stdin.write((line + "\n").encode())
        self.proc.stdin.flush()

    def alive(self):
        return self.proc.poll() is None

    def signal(self, sig):
        self.proc.send_signal(sig)

    def stop(self, sig=signal.SIGTERM, expect_rc=0, timeout=10.0):
        """Stops the server; fails on a bad exit or a sanitizer report."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise TestFailure("server did not exit within %ss" % timeout)
        err = self.stderr()
        self.errf.close()
        for mark in SANITIZER_MARKS:
            check(mark not in err, "sanitizer report in server stderr:\n" + err)
        if expect_rc is not None:
            check(self.proc.returncode == expect_rc,
                  "server exit status %s, wanted %s\n%s" %
                  (self.proc.returncode, expect_rc, err[-2000:]))
        os.unlink(self.errpath)
        return err


class Client:
    """A raw protocol client: one UDP socket, JSON in and out.

    By default it acks every reliable message it receives (auto_ack) and
    keeps everything received in self.inbox for expect()."""

    def __init__(self, port, host="127.0.0.1", auto_ack=True):
        fam = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.sock = socket.socket(fam, socket.SOCK_DGRAM)
        self.sock.bind((host, 0))
        self.addr = (host, port)
        self.auto_ack = auto_ack
        self.token = None
        self.name = None
        self.next_id = 1
        self.inbox = []
        self.welcome = None

    def close(self):
        self.sock.close()

    def send_raw(self, data):
        if isinstance(data, str):
            data = data.encode()
        self.sock.sendto(data, self.addr)

    def send(self, obj):
        self.send_raw(json.dumps(obj, ensure_ascii=False))

    def req(self, typ, **fields):
        """Sends a request with this session's token."""
        o = {"type": typ, "token": self.token}
        o.update(fields)
        self.send(o)

    def new_id(self):
        i = self.next_id
        self.next_id += 1
        return i

    def _recv_ready(self, timeout):
        r, _, _ = select.select([self.sock], [], [], max(0.0, timeout))
        if not r:
            return None
        data, src = self.sock.recvfrom(65536)
        try:
            m = json.loads(data.decode())
        except (UnicodeDecodeError, ValueError):
            raise TestFailure("server sent a non-JSON datagram: %r" % data)
        check(len(data) <= 1400, "server sent %d bytes > 1400" % len(data))
        m["_raw"] = data
        if self.auto_ack and "seq" in m and self.token:
            self.req("ack", seq=m["seq"])
        return m

    def pump(self, timeout=0.0):
        """Reads everything that arrives within timeout into the inbox."""
        deadline = time.monotonic() + timeout
        while True:
            m = self._recv_ready(deadline - time.monotonic())
            if m is None:
                return
            self.inbox.append(m)

    def expect(self, typ, timeout=5.0, **match):
        """Returns (and removes) the first message of type typ whose fields
        equal match, waiting up to timeout."""
        deadline = time.monotonic() + timeout
        while True:
            for i, m in enumerate(self.inbox):
                if m.get("type") == typ and all(
                        m.get(k) == v for k, v in match.items()):
                    return self.inbox.pop(i)
            left = deadline - time.monotonic()
            if left <= 0:
                raise TestFailure(
                    "%s: no %s %r within %ss; inbox: %r" %
                    (self.name, typ, match, timeout,
                     [dict((k, v) for k, v in x.items() if k != "_raw")
                      for x in self.inbox]))
            m = self._recv_ready(left)
            if m is not None:
                self.inbox.append(m)

    def expect_none(self, typ, timeout=0.5, **match):
        """Checks that no such message arrives within timeout (use only
        after a later event proved the earlier one would have come)."""
        try:
            m = self.expect(typ, timeout, **match)
        except TestFailure:
            return
        raise TestFailure("%s: unexpected %r" % (self.name, m))

    def expect_error(self, code, timeout=5.0, **match):
        return self.expect("error", timeout, code=code, **match)

    def login(self, name, **extra):
        self.name = name
        o = {"type": "login", "v": 1, "name": name}
        o.update(extra)
        self.send(o)
        w = self.expect("welcome")
        self.token = w["token"]
        self.welcome = w
        return w

    def chat(self, text, id=None):
        i = self.new_id() if id is None else id
        self.req("chat", id=i, text=text)
        return i

    def msg(self, to, text, id=None):
        i = self.new_id() if id is None else id
        self.req("msg", id=i, to=to, text=text)
        return i

    def quit(self):
        self.req("quit")
        self.expect("bye")


def run(main):
    """Runs a test's main(); exit status 0 on success, 1 with the reason."""
    try:
        main()
    except TestFailure as e:
        print("FAILED:", e, flush=True)
        sys.exit(1)
    print("ok", flush=True)
    sys.exit(0)


def skip(why):
    print(why, flush=True)
    sys.exit(77)
