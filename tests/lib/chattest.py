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
run() kills any server a failed test left running.

More helpers:
    a.login("alice", password="pw")     # the cookie round trip, the proof
    a.login_answer("alice")             # the login's last answer: welcome or error
    a.request("chat", text="x")         # sent again until ack/error with its id
    i = a.send_request("chat", text="x"); a.resend_due()  # without waiting
    a.request_ok(...), a.request_error("msg", "no_such_user", to="x", text="y")
    x.ask(data, "here"), x.ask_error(data, "bad_json")   # resend until answered
    a.who(), a.ping() (also a barrier: all sent before the pong is in)
    a, b = logged_in(srv.port, "alice", "bob")   # a Client per name
    a, b, c = login_room(srv.port, "alice", "bob", "carol")  # and the joins
    a.received("chat"), a.distinct("join"), a.drop()     # look at the inbox
    pump_all([a, b], 0.1), pump_until([a, b], pred, 5, "what")  # keep acking
    run_server_cmd(["--help"]) -> (status, stdout, stderr)
    control_path(port): where that server's control socket is
    Server(..., wrapper=["valgrind", ...]), srv.close_stdin(), ipv6_loopback()
A Client drops a retransmitted copy of a seq it already has (after acking
it) unless made with keep_dups=True.

Logins speak version 2 as a client does: the first login (no cookie yet)
is padded to 128 bytes (PAD_MIN); if the server answers cookie, the same
login goes again with it, and with password=... the proof of it, never
the password itself. A Client keeps its cookie for its next logins.
"""

import hashlib
import hmac
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

# Server messages that carry seq and ts and are retransmitted until acked.
RELIABLE_TYPES = ("chat", "msg", "join", "leave", "rename", "announce",
                  "topic")

SIGTERM = signal.SIGTERM   # the Server class body shadows "signal"

VERSION = 2
# A client pads a discover and its first login to this many bytes, so
# that any answer fits the server's "3 times the request" budget.
PAD_MIN = 128
AMPLIFY = 3

SANITIZER_MARKS = ("AddressSanitizer", "LeakSanitizer",
                   "UndefinedBehaviorSanitizer", "runtime error:")


def _own_home():
    """Every test gets a HOME and XDG folders of its own, removed at exit,
    so a client never reads the user's client.conf or writes a log or an
    ignore list into the real home (servers and tmux inherit it too).
    LANCHAT_SERVER and LANCHAT_NAME would change whom a client joins."""
    import atexit
    import shutil
    import tempfile
    home = tempfile.mkdtemp(prefix="chat-test-home-")
    atexit.register(shutil.rmtree, home, True)
    os.environ["HOME"] = home
    for var, sub in (("XDG_CONFIG_HOME", ".config"),
                     ("XDG_DATA_HOME", ".local/share"),
                     ("XDG_STATE_HOME", ".local/state"),
                     ("XDG_CACHE_HOME", ".cache")):
        os.environ[var] = os.path.join(home, sub)
    for var in ("LANCHAT_SERVER", "LANCHAT_NAME"):
        os.environ.pop(var, None)
    return home


TEST_HOME = _own_home()


class TestFailure(Exception):
    pass


def check(cond, what):
    """Asserts cond; what says what a user would have seen."""
    if not cond:
        raise TestFailure(what)


def log(*args):
    print(*args, flush=True)


def padded(o, size=PAD_MIN):
    """o as a UTF-8 JSON datagram with a "pad" of spaces that makes it at
    least size bytes long (o itself is not changed)."""
    o = dict(o, pad="")
    n = len(json.dumps(o, ensure_ascii=False).encode())
    if n < size:
        o["pad"] = " " * (size - n)
    return json.dumps(o, ensure_ascii=False).encode()


def proof(password, cookie):
    """The login's proof of the room's password: lowercase hex
    HMAC-SHA256 of the cookie, keyed with the password's UTF-8 bytes."""
    return hmac.new(password.encode(), cookie.encode(),
                    hashlib.sha256).hexdigest()


def trace_acked(trace, text, peer=None):
    """True when the server's --trace (its stderr) shows a chat holding
    text sent to a client (peer, "ADDR:PORT", if given) and that client's
    ack covering its seq: "ack of seq N", or a cumulative "ack of every
    seq up to M [and of seq ...]" (cap batch). The chat may be inside a
    batch datagram."""
    where = re.escape(peer) if peer is not None else r"\S+"
    m = re.search(r"out (%s) .* bytes: .*?(\{\"type\":\"chat\".*%s.*)" %
                  (where, re.escape(text)), trace)
    if m is None:
        return False
    seq = int(re.search(r"\"seq\":(\d+)", m.group(2)).group(1))
    for a in re.finditer(r"in +%s .* bytes: ack of (.*?)(?:  |$)" %
                         re.escape(m.group(1)), trace, re.M):
        words = a.group(1)
        up = re.match(r"every seq up to (\d+)", words)
        if up is not None and int(up.group(1)) >= seq:
            return True
        tail = words.split("seq", 1)[-1] if "seq" in words else ""
        if up is None and re.search(r"\b%d\b" % seq, tail):
            return True
        if up is not None and " and of seq " in words and re.search(
                r"\b%d\b" % seq, words.split(" and of seq ", 1)[1]):
            return True
    return False


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


_servers = []      # every Server started, killed by run() if still alive


def _die_with_parent():
    """In the child before exec: SIGKILL when the test process dies, so a
    failed or killed test never leaves a server behind (Linux)."""
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass


class Server:
    """The real chat_server, bound to 127.0.0.1 on a port the OS picks."""

    def __init__(self, *args, bind="127.0.0.1", stdin=False, port=0,
                 timeout=10.0, wrapper=(), drain_ms=0):
        argv = list(wrapper) + [SERVER_BIN, "-b", bind, "-p", str(port)] + \
            list(args)
        # A test's server exits on SIGTERM without the drain (up to 1 s,
        # 600 ms after the last ack even in a quiet room), which made
        # make check some 90 s longer; drain_ms=None keeps the server's
        # default, and server_drain, server_sigint and soak_restart test
        # the drain itself.
        if drain_ms is not None and not any(
                str(a).startswith("--drain-ms") for a in args):
            argv += ["--drain-ms", str(drain_ms)]
        self.errpath = os.path.join(
            BUILD, "test-logs",
            "server-%d-%d.err" % (os.getpid(), int(time.monotonic() * 1e6)))
        os.makedirs(os.path.dirname(self.errpath), exist_ok=True)
        self.errf = open(self.errpath, "w+")
        self.proc = subprocess.Popen(
            argv, stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=self.errf,
            preexec_fn=_die_with_parent)
        _servers.append(self)
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

    def close_stdin(self):
        self.proc.stdin.close()

    def alive(self):
        return self.proc.poll() is None

    def signal(self, sig):
        self.proc.send_signal(sig)

    def stop(self, sig=SIGTERM, expect_rc=0, timeout=10.0):
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

    def __init__(self, port, host="127.0.0.1", auto_ack=True, keep_dups=False,
                 source=None, caps=None):
        """source: the address to send from (default host; another
        127.x.y.z is another host to the server). caps: the login's
        "caps" list (None: none sent); with "batch" in it, a batch
        datagram is split into its messages (each kept with "_batch",
        the seqs of its datagram, in order) and auto_ack acks each
        datagram with one cumulative ack (upto and seqs)."""
        fam = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.sock = socket.socket(fam, socket.SOCK_DGRAM)
        self.sock.bind((source or host, 0))
        self.addr = (host, port)
        self.auto_ack = auto_ack
        self.token = None
        self.name = None
        self.next_id = 1
        self.inbox = []
        self.welcome = None
        self.room_joins = []     # the joins login_room() took for it
        self.cookie = None       # the server's last cookie for this socket
        # A retransmitted reliable message (a seq already seen in this
        # session) is acked but not kept, as a real client shows each seq
        # once; keep_dups=True keeps every copy (to count retransmissions).
        self.keep_dups = keep_dups
        self._seen = set()
        self._seen_token = None
        self.caps = caps
        self.batches = []        # the seqs of each batch datagram received
        self._split = []         # the rest of a batch being handed out
        self._got = set()        # seqs received, for cumulative acks
        self._got_token = None
        # send_request's requests without an answer yet:
        # {id: [datagram, when to send it again, every]}
        self.unanswered = {}

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
        if self._split:
            return self._split.pop(0)
        r, _, _ = select.select([self.sock], [], [], max(0.0, timeout))
        if not r:
            return None
        data, src = self.sock.recvfrom(65536)
        try:
            m = json.loads(data.decode())
        except (UnicodeDecodeError, ValueError):
            raise TestFailure("server sent a non-JSON datagram: %r" % data)
        check(len(data) <= 1400, "server sent %d bytes > 1400" % len(data))
        check(isinstance(m, dict) and isinstance(m.get("type"), str),
              "server sent a message without a string type: %r" % data)
        if m["type"] == "batch":
            check("batch" in (self.caps or []),
                  "a batch to a client that did not ask for it: %r" % data)
            check(isinstance(m.get("msgs"), list) and len(m["msgs"]) >= 1
                  and len(m) == 2, "a batch is {type, msgs:[...]}: %r" % data)
            msgs = m["msgs"]
        else:
            msgs = [m]
        t = time.monotonic()
        for x in msgs:
            check(isinstance(x, dict) and isinstance(x.get("type"), str),
                  "server sent a message without a string type: %r" % data)
            if x["type"] in RELIABLE_TYPES or len(msgs) > 1:
                check(x["type"] in RELIABLE_TYPES and
                      type(x.get("seq")) is int and x["seq"] >= 1 and
                      type(x.get("ts")) is int and x["ts"] > 0,
                      "a reliable %s carries integer seq and ts: %r" %
                      (x["type"], data))
            x["_raw"] = data
            x["_t"] = t
        if m["type"] == "batch":
            seqs = [x["seq"] for x in msgs]
            self.batches.append(seqs)
            for x in msgs:
                x["_batch"] = seqs
        if self.auto_ack and self.token:
            self._ack([x["seq"] for x in msgs if "seq" in x])
        self._split = msgs[1:]
        return msgs[0]

    def _ack(self, seqs):
        """Acks the seqs of one datagram: each alone, or (cap batch) all
        received so far in one cumulative ack."""
        if not seqs:
            return
        if "batch" not in (self.caps or []):
            for s in seqs:
                self.req("ack", seq=s)
            return
        if self._got_token != self.token:
            self._got = set()
            self._got_token = self.token
        self._got.update(seqs)
        self.req("ack", **cumulative(self._got))

    def _keep(self, m):
        """Puts a received message in the inbox unless it is a duplicate;
        an ack or error with an id answers that request."""
        if m.get("type") in ("ack", "error") and "id" in m:
            self.unanswered.pop(m["id"], None)
        if not self.keep_dups and "seq" in m:
            if self.token != self._seen_token:
                self._seen = set()
                self._seen_token = self.token
            if m["seq"] in self._seen:
                return
            self._seen.add(m["seq"])
        self.inbox.append(m)

    def pump(self, timeout=0.0):
        """Reads everything that arrives within timeout into the inbox."""
        deadline = time.monotonic() + timeout
        while True:
            m = self._recv_ready(deadline - time.monotonic())
            if m is None:
                return
            self._keep(m)

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
                     [public(x) for x in self.inbox]))
            m = self._recv_ready(left)
            if m is not None:
                self._keep(m)

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

    def login_obj(self, name, extra=None):
        o = {"type": "login", "v": VERSION, "name": name}
        if self.caps is not None:
            o["caps"] = list(self.caps)
        o.update(extra or {})
        return o

    def send_login(self, o, password=None):
        """Sends login o with this socket's cookie (and the proof of
        password) if it has one, else padded to PAD_MIN bytes. Fields
        already in o win. Returns the bytes sent."""
        o = dict(o)
        if self.cookie is not None:
            o.setdefault("cookie", self.cookie)
            if password is not None:
                o.setdefault("proof", proof(password, o["cookie"]))
            data = json.dumps(o, ensure_ascii=False).encode()
        else:
            data = padded(o)
        self.send_raw(data)
        return data

    def _login_reply(self, since, timeout):
        """The first cookie, welcome or login error (an error without an
        id) received at or after since; None if none within timeout."""
        deadline = time.monotonic() + timeout
        while True:
            for i, m in enumerate(self.inbox):
                if m["_t"] >= since and (
                        m["type"] in ("cookie", "welcome") or
                        (m["type"] == "error" and "id" not in m)):
                    return self.inbox.pop(i)
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            m = self._recv_ready(left)
            if m is not None:
                self._keep(m)

    def login_answer(self, name, timeout=5.0, every=None, password=None,
                     fields=None, **extra):
        """Logs in as a version 2 client does and returns the answer
        that is not a cookie (welcome or error): the login (padded when
        there is no cookie yet); a cookie answer stores the cookie and
        sends the same login again with it. With every, the login is sent
        again every `every` seconds while nothing comes (the server's
        replies to strangers are rate limited). fields are extra login
        fields too (for names that clash with the arguments)."""
        self.name = name
        o = self.login_obj(name, dict(extra, **(fields or {})))
        deadline = time.monotonic() + timeout
        cookies = 0
        while True:
            sent = time.monotonic()
            self.send_login(o, password)
            wait = deadline - sent
            if every is not None:
                wait = min(every, wait)
            r = self._login_reply(sent, max(0.0, wait))
            if r is None:
                if time.monotonic() < deadline and every is not None:
                    continue
                raise TestFailure(
                    "%s: no answer to login %r within %ss; inbox: %r" %
                    (name, o, timeout, [public(x) for x in self.inbox]))
            if r["type"] != "cookie":
                return r
            cookies += 1
            check(cookies <= 3, "%s: the server keeps answering cookie "
                  "to a login that carries its cookie: %r" %
                  (name, public(r)))
            check(isinstance(r.get("cookie"), str) and r["cookie"],
                  "a cookie carries a string cookie: %r" % public(r))
            self.cookie = r["cookie"]

    def login(self, name, timeout=5.0, every=None, password=None,
              fields=None, **extra):
        """A login that must be welcomed (cookie round trip included)."""
        w = self.login_answer(name, timeout, every=every, password=password,
                              fields=fields, **extra)
        check(w["type"] == "welcome", "%s: login answered %r, wanted "
              "welcome" % (name, public(w)))
        self.token = w["token"]
        self.welcome = w
        return w

    def fetch_cookie(self, name="nobody", timeout=5.0):
        """Asks for a cookie with a padded login that has none (the
        server keeps nothing for it), keeps it for the next logins and
        returns it."""
        c = self.ask(padded(self.login_obj(name)), "cookie", timeout)
        check(isinstance(c.get("cookie"), str) and c["cookie"],
              "a cookie carries a string cookie: %r" % public(c))
        self.cookie = c["cookie"]
        return self.cookie

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

    def rename(self, name, id=None):
        """Sends rename; returns its id (does not wait for the answer)."""
        i = self.new_id() if id is None else id
        self.req("rename", id=i, name=name)
        return i

    def ping(self, timeout=5.0):
        """ping -> pong. Also a barrier: the server answers in order, so
        everything it sent this client before the pong is in the inbox."""
        self.req("ping")
        return self.expect("pong", timeout)

    barrier = ping

    def who(self, timeout=5.0):
        """who -> the users list."""
        self.req("who")
        m = self.expect("users", timeout)
        check(isinstance(m.get("users"), list),
              "users carries a list: %r" % public(m))
        return m["users"]

    def ask(self, data, typ, timeout=5.0, every=0.5, **match):
        """Sends data (bytes, str or an object) and waits for a reply of
        type typ matching match, sending it again every `every` seconds
        (replies such as errors may be rate limited). Use only for data
        that changes no state when repeated."""
        if isinstance(data, dict):
            data = json.dumps(data, ensure_ascii=False)
        deadline = time.monotonic() + timeout
        while True:
            self.send_raw(data)
            left = deadline - time.monotonic()
            try:
                return self.expect(typ, max(0.0, min(every, left)), **match)
            except TestFailure:
                if time.monotonic() >= deadline:
                    raise TestFailure(
                        "%s: no %s %r in answer to %r within %ss" %
                        (self.name, typ, match, data[:200], timeout))

    def send_request(self, typ, every=0.5, **fields):
        """Sends a request with an id (a new one unless given) and returns
        the id; until an ack or an error with that id is received (it
        stays in the inbox), resend_due() sends it again every `every`
        seconds, as a client does: the server acts on a session's ids in
        order, so one request lost (a full socket buffer under load)
        would hold back every later one."""
        if fields.get("id") is None:
            fields["id"] = self.new_id()
        i = fields["id"]
        o = {"type": typ, "token": self.token}
        o.update(fields)
        data = json.dumps(o, ensure_ascii=False)
        self.send_raw(data)
        self.unanswered[i] = [data, time.monotonic() + every, every]
        return i

    def resend_due(self, ids=None):
        """Sends again each unanswered request (of ids, if given) whose
        time has come, in id order; returns when the next one is due
        (time.monotonic()), or None if none is unanswered."""
        now = time.monotonic()
        due = None
        for i in sorted(self.unanswered if ids is None else
                        [i for i in ids if i in self.unanswered]):
            u = self.unanswered[i]
            if u[1] <= now:
                self.send_raw(u[0])
                u[1] = now + u[2]
            due = u[1] if due is None else min(due, u[1])
        return due

    def request(self, typ, timeout=5.0, every=0.5, **fields):
        """Sends a request with an id (a new one unless given) the way a
        client does (send_request): again every `every` seconds until an
        ack or an error with that id arrives, which it returns (and
        removes from the inbox).
        A refused request is not remembered by the server, so its repeat
        gets the same error even if the first error was rate limited."""
        i = self.send_request(typ, every, **fields)
        data = self.unanswered[i][0]
        deadline = time.monotonic() + timeout
        try:
            while True:
                for k, m in enumerate(self.inbox):
                    if m.get("type") in ("ack", "error") and \
                            m.get("id") == i:
                        return self.inbox.pop(k)
                now = time.monotonic()
                if now >= deadline:
                    raise TestFailure("%s: no ack or error with id %r for "
                                      "%s within %ss" % (self.name, i,
                                                         data[:200], timeout))
                due = self.resend_due([i])
                m = self._recv_ready(min(due or deadline, deadline) - now)
                if m is not None:
                    self._keep(m)
        finally:
            # An answer already in the inbox leaves it unanswered here.
            self.unanswered.pop(i, None)

    def request_error(self, typ, code, timeout=5.0, **fields):
        """A request that must be refused with error code (carrying its
        id)."""
        r = self.request(typ, timeout, **fields)
        check(r.get("type") == "error" and r.get("code") == code,
              "%s: %s %r answered %r, wanted error %s" %
              (self.name, typ, fields, public(r), code))
        return r

    def request_ok(self, typ, timeout=5.0, **fields):
        """A request that must be acked."""
        r = self.request(typ, timeout, **fields)
        check(r.get("type") == "ack", "%s: %s %r answered %r, wanted ack" %
              (self.name, typ, fields, public(r)))
        return r

    def ask_error(self, data, code, timeout=5.0, **match):
        """ask() for an error with code. Its text must have words if data
        had PAD_MIN bytes or more; to a smaller one the server may leave
        the text out (no amplification: 3 times the request at most)."""
        if isinstance(data, dict):
            data = json.dumps(data, ensure_ascii=False)
        size = len(data.encode() if isinstance(data, str) else data)
        e = self.ask(data, "error", timeout, code=code, **match)
        if size >= PAD_MIN or "text" in e:
            check(isinstance(e.get("text"), str) and e["text"],
                  "error %s has human words in text: %r" % (code, public(e)))
        if self.token is None:
            check(len(e["_raw"]) <= AMPLIFY * size,
                  "an error of %d bytes to a %d-byte request from a socket "
                  "without a session: %r" % (len(e["_raw"]), size, public(e)))
        return e

    def login_error(self, name, code, timeout=5.0, password=None,
                    fields=None, **extra):
        """A login that must be refused with error code (with words in
        its text), after the cookie round trip if the server asks."""
        e = self.login_answer(name, timeout, every=0.5, password=password,
                              fields=fields, **extra)
        check(e["type"] == "error" and e.get("code") == code,
              "%s: login answered %r, wanted error %s" %
              (name, public(e), code))
        check(isinstance(e.get("text"), str) and e["text"],
              "error %s has human words in text: %r" % (code, public(e)))
        return e

    def received(self, typ, **match):
        """The messages of type typ in the inbox (not removed)."""
        return [m for m in self.inbox if m.get("type") == typ and all(
            m.get(k) == v for k, v in match.items())]

    def distinct(self, typ, **match):
        """Like received(), but a reliable message retransmitted (the same
        seq again, when an ack was slow) counts once."""
        seen = set()
        out = []
        for m in self.received(typ, **match):
            if "seq" in m:
                if m["seq"] in seen:
                    continue
                seen.add(m["seq"])
            out.append(m)
        return out

    def drop(self, typ=None):
        """Forgets the inbox (or only messages of type typ)."""
        self.inbox = [m for m in self.inbox
                      if typ is not None and m.get("type") != typ]


def logged_in(port, *names):
    """A Client per name, logged in one after the other (each login waits
    for its welcome), in the order of names."""
    clients = []
    for name in names:
        c = Client(port)
        c.login(name)
        clients.append(c)
    return clients


def login_room(port, *names):
    """logged_in(), then each client takes (expect) the join of every
    client logged in after it, in order, so the set-up leaves no join in
    any inbox. c.room_joins holds the joins c took."""
    clients = logged_in(port, *names)
    for k, c in enumerate(clients):
        c.room_joins = [c.expect("join", name=later.name)
                        for later in clients[k + 1:]]
    return clients


def cumulative(got):
    """The fields of a cumulative ack of the seq set got: upto (every seq
    up to it received) and, if any, seqs (the 64 lowest above it)."""
    upto = 0
    while upto + 1 in got:
        upto += 1
    above = sorted(s for s in got if s > upto)[:64]
    f = {"upto": upto}
    if above:
        f["seqs"] = above
    return f


def public(m):
    """A received message without the helper's own keys (_raw, _t)."""
    return dict((k, v) for k, v in m.items() if not k.startswith("_"))


def now_ms():
    return int(time.time() * 1000)


def is_token(t):
    return isinstance(t, str) and re.fullmatch(r"[0-9a-f]{32}", t) is not None


def pump_all(clients, timeout=0.0):
    """Reads whatever reaches any of clients within timeout (acking)."""
    deadline = time.monotonic() + timeout
    while True:
        socks = dict((c.sock, c) for c in clients)
        r, _, _ = select.select(list(socks), [], [],
                                max(0.0, deadline - time.monotonic()))
        for s in r:
            c = socks[s]
            m = c._recv_ready(0)
            if m is not None:
                c._keep(m)
        if not r and time.monotonic() >= deadline:
            return


def pump_until(clients, pred, timeout=5.0, what="condition"):
    """Pumps clients (so they keep acking) until pred() is true."""
    deadline = time.monotonic() + timeout
    while True:
        v = pred()
        if v:
            return v
        left = deadline - time.monotonic()
        if left <= 0:
            raise TestFailure("timed out waiting for " + what)
        pump_all(clients, min(0.05, left))


def run_server_cmd(args, timeout=10.0):
    """Runs chat_server with args to completion: (status, stdout, stderr)."""
    try:
        p = subprocess.run([SERVER_BIN] + list(args), stdin=subprocess.DEVNULL,
                           capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise TestFailure("chat_server %s did not exit within %ss" %
                          (" ".join(args), timeout))
    return (p.returncode, p.stdout.decode(errors="replace"),
            p.stderr.decode(errors="replace"))


def control_dir():
    """The directory of this user's control sockets, as chat_server picks
    it (chat_server/announce.h): $XDG_RUNTIME_DIR, /run/user/UID, else
    ${TMPDIR:-/tmp}/chat_server-UID; each only if a directory of ours
    that nobody else may write."""
    import stat as st

    def ours(d):
        try:
            s = os.lstat(d)
        except OSError:
            return False
        return (st.S_ISDIR(s.st_mode) and s.st_uid == os.geteuid() and
                s.st_mode & 0o77 == 0)
    xdg = os.environ.get("XDG_RUNTIME_DIR", "")
    if xdg.startswith("/") and ours(xdg):
        return xdg
    run = "/run/user/%d" % os.geteuid()
    if ours(run):
        return run
    tmp = os.environ.get("TMPDIR", "")
    if not tmp.startswith("/"):
        tmp = "/tmp"
    return os.path.join(tmp, "chat_server-%d" % os.geteuid())


def control_path(port):
    """The control socket of the server on port."""
    return os.path.join(control_dir(), "chat_server-%d.sock" % port)


def ipv6_loopback():
    """True if a UDP socket can bind ::1."""
    if not socket.has_ipv6:
        return False
    try:
        s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    except OSError:
        return False
    try:
        s.bind(("::1", 0))
        return True
    except OSError:
        return False
    finally:
        s.close()


def free_port():
    """A UDP port nobody on 127.0.0.1 uses now, for a program that
    cannot take port 0 (make run's script, say)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def kill_servers():
    """Kills every server a test left running (after a failure)."""
    for srv in _servers:
        if srv.proc.poll() is None:
            srv.proc.kill()
            srv.proc.wait()


def run(main):
    """Runs a test's main(); exit status 0 on success, 1 with the reason.
    Servers still running at the end (a failure) are killed."""
    try:
        main()
    except TestFailure as e:
        print("FAILED:", e, flush=True)
        kill_servers()
        sys.exit(1)
    except BaseException:
        kill_servers()
        raise
    kill_servers()
    print("ok", flush=True)
    sys.exit(0)


def skip(why):
    print(why, flush=True)
    sys.exit(77)
