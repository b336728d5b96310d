#!/usr/bin/env python3
"""--classroom's limits and switches: off by default (a classroom datagram
gets no answer, and the log says once, however many come, how to turn
the mode on; the start-up line does not mention it); --classroom with
--password-file refused at start-up (exit 2, saying why); classroom
sessions count against --max-clients and --max-per-host (refused with
该用户已存在, the log says why); the chat rate limit (a burst of 20) applies to a
student; --classroom-idle expires a silent student (others get leave
timeout and 退出了聊天室) but not one that keeps talking."""

import os
import sys
import tempfile
import time
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403
from classroomtest import Student  # noqa: E402

HINT = "start chat_server with --classroom"


def off_by_default():
    srv = Server()
    check("classroom" not in srv.stderr(), "the start-up line says "
          "nothing of classroom mode: %r" % srv.stderr())
    s = Student(srv.port)
    s.name = "student"
    j = Client(srv.port)
    j.name = "j"
    for data in ("L 小明", "C 小明 你好", "Q 小明", "L"):
        s.send(data)
    # The socket answers in order: bad_json to the same source comes after.
    j.sock.close()
    j.sock = s.sock
    j.ask_error(b"{" + b" " * 100, "bad_json")
    check(not j.inbox, "no answer to the classroom datagrams: %r" %
          [public(m) for m in j.inbox])
    wait_until(lambda: HINT in srv.stderr(), 5.0, "the log's hint")
    check(srv.stderr().count(HINT) == 1, "the hint is logged once: %r" %
          srv.stderr())
    srv.stop()


def password_refused():
    tmp = tempfile.mkdtemp()
    pw = os.path.join(tmp, "pw")
    with open(pw, "w") as f:
        f.write("secret\n")
    os.chmod(pw, 0o600)
    rc, out, err = run_server_cmd(["-p", "0", "--classroom",
                                   "--password-file", pw])
    check(rc == 2, "exit 2: %d %r" % (rc, err))
    check("--classroom" in err and "password" in err,
          "says why: %r" % err)
    for bad in ("0", "-1", "x", "86401"):
        rc, out, err = run_server_cmd(["-p", "0", "--classroom",
                                       "--classroom-idle", bad])
        check(rc == 2 and "--classroom-idle" in err,
              "--classroom-idle %s refused: %d %r" % (bad, rc, err))
    rc, out, err = run_server_cmd(["--help"])
    check("--classroom" in out and "--classroom-idle" in out,
          "--help lists the options")


def max_clients():
    srv = Server("--classroom", "--max-clients", "2")
    a = Client(srv.port)
    a.login("甲")
    s1 = Student(srv.port)
    s1.login("乙")
    a.expect("join", name="乙")
    s2 = Student(srv.port)
    s2.login("丙", reply="该用户已存在")
    b = Client(srv.port)
    b.name = "丁"
    b.login_error("丁", "full")
    wait_until(lambda: "the server is full" in srv.stderr(), 5.0,
               "the log to say why 丙 was refused")
    s1.quit()
    a.expect("leave", name="乙")
    s2.login("丙")
    srv.stop()


def max_per_host():
    """Students on one host: --max-per-host counts them with JSON ones."""
    srv = Server("--classroom", "--max-per-host", "3")
    a = Client(srv.port)
    a.login("甲")
    s1 = Student(srv.port)
    s1.login("乙")
    s2 = Student(srv.port)
    s2.login("丙")
    s3 = Student(srv.port)
    s3.login("丁", reply="该用户已存在")
    wait_until(lambda: "too many sessions from that address" in
               srv.stderr(), 5.0, "the log to say why 丁 was refused")
    b = Client(srv.port)
    b.name = "戊"
    b.login_error("戊", "full")
    s2.quit()
    s3.login("丁")
    srv.stop()


def rate_limit():
    srv = Server("--classroom")
    a = Client(srv.port)
    a.login("甲")
    s = Student(srv.port)
    s.login("乙")
    a.expect("join", name="乙")
    start = time.monotonic()
    for i in range(40):
        s.chat("第%d条" % i)
    sent = time.monotonic() - start
    a.request_ok("chat", text="barrier")
    s.expect("甲 : barrier")
    a.ping()
    got = [m["text"] for m in a.inbox if m["type"] == "chat"]
    allowed = 20 + int(sent * 10) + 1
    check(20 <= len(got) <= allowed and len(got) < 40,
          "a burst of 20 then 10/s: %d of 40 in %.2fs" % (len(got), sent))
    check(got == ["第%d条" % i for i in range(len(got))],
          "the first ones, in order: %r" % got)
    srv.stop()


def idle():
    srv = Server("--classroom", "--classroom-idle", "2", "--heartbeat", "1")
    a = Client(srv.port)
    a.login("甲")
    quiet = Student(srv.port)
    quiet.login("静")
    a.expect("join", name="静")
    talker = Student(srv.port)
    talker.login("说")
    a.expect("join", name="说")
    quiet.expect("欢迎说进入聊天室")
    t0 = time.monotonic()
    deadline = t0 + 6
    left = None
    while time.monotonic() < deadline and left is None:
        talker.chat("还在")
        # The JSON client pings (heartbeat 1 s) and acks meanwhile.
        a.ping()
        a.drop("chat")
        for m in a.inbox:
            if m["type"] == "leave":
                left = m
        time.sleep(0.3)
    check(left is not None, "the silent student expired")
    check(left["name"] == "静" and left["reason"] == "timeout",
          "the silent one left by timeout: %r" % public(left))
    took = time.monotonic() - t0
    check(took >= 1.5, "not before --classroom-idle: %.2fs" % took)
    talker.drain()
    talker.chat("我没走")
    a.expect("chat", text="我没走")
    check(set(a.who()) == {"甲", "说"}, "the talker stayed")
    srv.stop()


def main():
    off_by_default()
    password_refused()
    max_clients()
    max_per_host()
    rate_limit()
    idle()


run(main)
