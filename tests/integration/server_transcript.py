#!/usr/bin/env python3
"""--transcript FILE: joins, chats, renames, announcements and leaves (with
their reason, the quit's and the kick's words too) are JSON lines in
order, each with ts, chats and announcements with their mid, an action
chat with "action": true; joins and leaves carry the session's address;
a shutdown writes a leave (reason shutdown) for everyone still in; a
private msg is not written; the file is created mode 0600. A path
the server cannot open stops it at start-up with words to act on; a
write that fails later is said once on stderr and the server goes on,
also when the transcript is a FIFO whose reader stopped reading."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403

import stat
import shutil
import tempfile

TRICKY = 'say "hi" \\ 你好 \u2028 end'


def records(path):
    with open(path, "rb") as f:
        data = f.read()
    check(data.endswith(b"\n"), "the file ends with a whole line")
    out = []
    for line in data.decode("utf-8").split("\n")[:-1]:
        try:
            o = json.loads(line)
        except ValueError:
            raise TestFailure("not a JSON line: %r" % line)
        check(isinstance(o, dict) and type(o.get("ts")) is int and
              isinstance(o.get("type"), str), "ts and type: %r" % line)
        check(all(0x20 <= ord(ch) != 0x7f for ch in line),
              "no raw control character in a line: %r" % line)
        out.append(o)
    return out


def strip(o):
    return dict((k, v) for k, v in o.items() if k != "ts")


def addr(c):
    return "127.0.0.1:%d" % c.sock.getsockname()[1]


def main():
    tmp = tempfile.mkdtemp()
    path = os.path.join(tmp, "room.jsonl")
    srv = Server("--transcript", path, stdin=True)
    check(stat.S_IMODE(os.stat(path).st_mode) == 0o600,
          "created mode 0600: %o" % os.stat(path).st_mode)
    a, b = login_room(srv.port, "alice", "bob")
    a.request_ok("chat", text=TRICKY)
    b.expect("chat")
    a.request_ok("chat", text="waves", action=True)
    b.expect("chat", text="waves")
    b.request_ok("msg", to="alice", text="a secret")
    a.expect("msg")
    b.request_ok("rename", name="robert")
    a.expect("rename")
    srv.announce("class ends at 3")
    a.expect("announce")
    c = Client(srv.port)
    c.login("carol")
    a.expect("join", name="carol")
    c.req("quit", text="see you")
    c.expect("bye")
    a.expect("leave", name="carol", reason="quit")
    srv.announce("/kick robert spamming")
    a.expect("leave", name="robert", reason="kicked")
    b.expect("leave", name="robert", reason="kicked")   # acked: removed
    b.ask({"type": "ping", "token": b.token}, "error", code="no_session")
    srv.signal(SIGTERM)
    a.expect("announce")
    srv.stop()

    got = records(path)
    want = [
        {"type": "join", "name": "alice", "addr": addr(a)},
        {"type": "join", "name": "bob", "addr": addr(b)},
        {"type": "chat", "mid": 1, "from": "alice", "text": TRICKY},
        {"type": "chat", "mid": 2, "from": "alice", "text": "waves",
         "action": True},
        {"type": "rename", "from": "bob", "to": "robert"},
        {"type": "announce", "mid": 3, "text": "class ends at 3"},
        {"type": "join", "name": "carol", "addr": addr(c)},
        {"type": "leave", "name": "carol", "reason": "quit",
         "addr": addr(c), "text": "see you"},
        {"type": "leave", "name": "robert", "reason": "kicked",
         "addr": addr(b), "text": "spamming"},
        {"type": "announce", "mid": 4, "text": "server is shutting down"},
        {"type": "leave", "name": "alice", "reason": "shutdown",
         "addr": addr(a)},
    ]
    check([strip(o) for o in got] == want,
          "the transcript, in order:\n%s" %
          "\n".join(repr(o) for o in got))
    ts = [o["ts"] for o in got]
    check(ts == sorted(ts) and abs(ts[0] - now_ms()) < 60000,
          "ts is the wall clock in ms, in order: %r" % ts)
    with open(path, "rb") as f:
        check(b"secret" not in f.read(), "a private msg is not written")

    # A second run appends.
    srv = Server("--transcript", path)
    a = Client(srv.port)
    a.login("alice")
    srv.stop()
    got = records(path)
    check(len(got) == len(want) + 3 and strip(got[len(want)]) ==
          {"type": "join", "name": "alice", "addr": addr(a)},
          "a second run appends: %r" % got[len(want):])

    # Paths that cannot be opened: exit non-zero at start-up, in words.
    cases = [(os.path.join(tmp, "no", "such.jsonl"),
              "No such file or directory"),
             (tmp, "directory")]
    if os.geteuid() != 0:
        # root may write anywhere: only another user sees this refusal.
        ro = os.path.join(tmp, "ro")
        os.mkdir(ro, 0o500)
        cases.append((os.path.join(ro, "room.jsonl"), "Permission denied"))
    for bad, words in cases:
        rc, out, err = run_server_cmd(["-b", "127.0.0.1", "-p", "0",
                                       "--transcript", bad])
        log("--transcript %s: exit %d: %s" % (bad, rc, err.strip()))
        check(rc != 0 and "listening" not in err,
              "the server does not start: %d %r" % (rc, err))
        check("transcript" in err and bad in err and words in err,
              "the error names the file and the reason: %r" % err)

    # A write that fails: said once, the server goes on.
    if os.access("/dev/full", os.W_OK):
        srv = Server("--transcript", "/dev/full")
        a, b = login_room(srv.port, "alice", "bob")
        for i in range(3):
            a.request_ok("chat", text="line %d" % i)
            b.expect("chat", text="line %d" % i)
        err = srv.stop()
        check(err.count("cannot write to transcript '/dev/full'") == 1,
              "the write error is reported once:\n" + err)
    else:
        log("no writable /dev/full: the write-error part is left out")

    # A FIFO whose reader stopped reading: once the pipe is full the
    # server loses transcript lines (said once), it does not stop in
    # write(2) with everyone's chat.
    fifo = os.path.join(tmp, "fifo")
    os.mkfifo(fifo, 0o600)
    rd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    srv = Server("--transcript", fifo, "--no-rate-limit")
    a, b = login_room(srv.port, "alice", "bob")
    for i in range(100):   # 100 lines of 1 KiB: more than a pipe holds
        a.request_ok("chat", text="%d %s" % (i, "x" * 900), timeout=3.0)
    b.expect("chat", text="99 " + "x" * 900)
    err = srv.stop()
    check(err.count("cannot write to transcript '%s'" % fifo) == 1,
          "the stalled reader is reported once:\n" + err)
    os.close(rd)
    shutil.rmtree(tmp)


run(main)
