#!/usr/bin/env python3
"""chat_client --classroom --plain against a classroom-style server (the
test's own, tests/lib/classroomserver.py) in each variant found in course
copies: it sends exactly "L NAME", "C NAME TEXT" and "Q NAME"; says once
at the start that nothing is acknowledged; shows chats with their sender
in each form (name : text, name: text, name 说: text), joins and leaves
(with or without a leading newline), the admin's notices, and any other
line as it came, sanitised (an escape sequence never reaches the
terminal); shows its own line once even from a server that echoes it;
refuses /msg and a line too long for recvfrom(1024); quits on /quit and
on end of input once EXIT or exit came; a taken name (该用户已存在 or
该用户存在) ends it with status 1 and words, as does no server."""

import os
import socket
import sys
import time
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403
from clienttest import *  # noqa: E402,F401,F403
from classroomserver import ClassroomServer  # noqa: E402

T = TIME_RE


def session(variant):
    log("variant %r" % (variant,))
    srv = ClassroomServer(**variant)
    srv.join("张三")
    c = PlainClient(srv.port, "小明", args=["--classroom"])
    srv.wait_received("L 小明")
    c.wait_line(r"^%s -- connected to 127\.0\.0\.1:%d as 小明 \(classroom "
                r"mode\)$" % (T, srv.port))
    c.wait_line(r"-- the classroom protocol has no acknowledgements .* "
                r"a line can be lost")

    srv.say("张三", "你好，小明")
    c.wait_line(r"^%s <张三> 你好，小明$" % T)
    c.say("大家好 !")
    srv.wait_received("C 小明 大家好 !")
    c.wait_line(r"^%s <小明> 大家好 !$" % T)
    srv.join("李四")
    c.wait_line(r"^%s -- 李四 joined$" % T)
    srv.admin("五点下课")
    c.wait_line(r"^%s !! 五点下课$" % T)
    srv.leave("李四")
    c.wait_line(r"^%s -- 李四 left" % T)
    # Something that is none of the forms: as it came, made safe.
    srv.broadcast("服务器重启中 \x1b[31mred\x07".encode())
    srv.broadcast(b"bad \xff bytes")
    c.wait_line(r"^%s -- 服务器重启中 \^\[\[31mred\^G$" % T)
    c.wait_line(r"^%s -- bad \ufffd bytes$" % T)
    srv.say("张三", "\x1b]0;owned\x07 hi")
    c.wait_line(r"^%s <张三> \^\[\]0;owned\^G hi$" % T)
    # What the classroom protocol cannot do is said, not sent.
    c.say("/msg 张三 hi")
    c.wait_line(r"error: a classroom server knows only chat lines")
    c.say("/quit")
    srv.wait_received("Q 小明")
    rc = c.finish()
    check(rc == 0, "exit 0")
    check(not srv.online("小明"), "the server saw the quit")
    out = "\n".join(c.lines)
    check("\x1b" not in c.raw.decode(errors="replace"),
          "no escape byte reached stdout")
    check(len(c.matching(r"<小明> 大家好 !$")) == 1,
          "own line shown once (echo=%s): %r" %
          (variant.get("echo"), c.matching("大家好")))
    check(len(c.matching(r"no acknowledgements")) == 1,
          "the warning is said once")
    log(out)
    srv.stop()


def taken(word):
    srv = ClassroomServer(taken=word)
    srv.join("小明")
    c = PlainClient(srv.port, "小明", args=["--classroom"], login=False)
    c.wait_exit(6)
    err = c.stderr()
    c.finish(expect_rc=1)
    check("the name 小明 is taken" in err, "says the name is taken: %r" %
          err)
    srv.stop()


def too_long():
    """A datagram of 1024 bytes or more is not sent: the course's servers
    read 1024. With a 48-byte name, 972 bytes of text are the most."""
    name = "长" * 16
    srv = ClassroomServer()
    c = PlainClient(srv.port, name, args=["--classroom"])
    srv.wait_received("L " + name)
    c.say("文" * 330)
    c.wait_line(r"error: line too long for a classroom server: at most "
                r"972 bytes \(this one is 990\); not sent")
    c.say("文" * 324)
    srv.wait_received("C %s %s" % (name, "文" * 324))
    c.wait_line(r"<%s> 文{324}$" % name)
    c.quit()
    check(not any(d.startswith(("C %s %s" % (name, "文" * 325)).encode())
                  for d in srv.received), "the long line was not sent")
    check(all(len(d) < 1024 for d in srv.received), "all under 1024 bytes")
    srv.stop()


def no_server():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    c = PlainClient(port, "小明", args=["--classroom"], login=False)
    t0 = time.monotonic()
    c.finish(expect_rc=1)
    check(time.monotonic() - t0 < 6, "gives up after about 3 s")
    data, _ = s.recvfrom(100)
    check(data == "L 小明".encode(), "sent L once: %r" % data)
    s.settimeout(0)
    try:
        extra = s.recvfrom(100)
    except BlockingIOError:
        extra = None
    check(extra is None, "L is not sent again: %r" % (extra,))
    s.close()


def end_of_input():
    srv = ClassroomServer(exit="exit")
    c = PlainClient(srv.port, "小红", args=["--classroom"])
    srv.wait_received("L 小红")
    c.eof()
    srv.wait_received("Q 小红")
    t0 = time.monotonic()
    c.finish()
    check(time.monotonic() - t0 < 0.9,
          "lowercase exit ends it without waiting the full second")
    srv.stop()


def options():
    for args, words in ((["--classroom", "-n", "x"], "--server"),
                        (["--classroom", "--discover"], "--server")):
        p = subprocess.run([CLIENT_BIN] + args, capture_output=True,
                           timeout=10, stdin=subprocess.DEVNULL)
        check(p.returncode == 2 and words in p.stderr.decode(),
              "%r refused: %d %r" % (args, p.returncode, p.stderr))
    p = subprocess.run([CLIENT_BIN, "--help"], capture_output=True,
                       timeout=10)
    check(b"--classroom" in p.stdout, "--help lists --classroom")


def main():
    options()
    for variant in ({}, {"newline": True, "echo": True},
                    {"form": "name: text", "exit": "exit"},
                    {"form": "name 说: text", "newline": True,
                     "taken": "该用户存在"}):
        session(variant)
    for word in ("该用户已存在", "该用户存在"):
        taken(word)
    too_long()
    end_of_input()
    no_server()


run(main)
