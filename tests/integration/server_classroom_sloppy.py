#!/usr/bin/env python3
"""--classroom and the sloppy code students write: a bare L (refused with
exactly 该用户已存在), a bare C, C with no text or an empty one, invalid
UTF-8, a 1024-byte datagram cut in the middle of a character, control
characters, very long names and texts, Q and C for a name that is not
theirs (another address) or not logged in, a datagram that only starts
like one ("Lx": JSON's bad_json as before). None of it changes the room:
nobody gets a line, nobody leaves, and the room goes on working both
ways. A text over 1000 bytes reaches JSON clients cut at a character
boundary; a line to a student stays under 1024 bytes, cut the same way."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403
from classroomtest import Student  # noqa: E402


def cut_mid_char(prefix, size):
    """prefix + as many 中 as reach size bytes, cut to exactly size bytes
    in the middle of a character."""
    data = prefix + "中".encode() * size
    data = data[:size]
    check(data[-1:] != b"\xad", "the cut falls inside a character")
    try:
        data.decode()
    except UnicodeDecodeError:
        return data
    raise TestFailure("the cut datagram is still valid UTF-8")


def barrier(zhang, ming, li, n):
    """A JSON chat that must be the next thing the student and li see."""
    text = "屏障 %d" % n
    zhang.request_ok("chat", text=text)
    ming.expect("张三 : " + text)
    li.expect("chat", text=text)
    li.ping()
    bad = [public(m) for m in li.inbox if m["type"] != "pong"]
    check(not bad, "li saw nothing else: %r" % bad)
    li.drop()


def main():
    srv = Server("--classroom")
    zhang = Client(srv.port)
    zhang.login("张三")
    li = Client(srv.port)
    li.login("李四")
    zhang.expect("join", name="李四")
    ming = Student(srv.port)
    ming.login("小明")
    zhang.expect("join", name="小明")
    li.expect("join", name="小明")
    stranger = Student(srv.port)
    stranger.name = "stranger"

    # Requests that must be answered with exactly 该用户已存在.
    for data in (b"L", b"L ", b"L \n", b"L " + b"a" * 300,
                 b"L " + "中".encode() * 17, b"L a\x07b", b"L \x1b[31mred",
                 b"L \xff\xfe", cut_mid_char(b"L ", 7)):
        stranger.send(data)
        stranger.expect("该用户已存在")
    barrier(zhang, ming, li, 1)

    # Requests that get nothing and change nothing.
    quiet = [
        (ming, b"C"),
        (ming, b"C "),
        (ming, "C 小明".encode()),
        (ming, "C 小明 ".encode()),
        (ming, "C 小明 \r\n".encode()),
        (ming, "C 小明 ".encode() + b"\xff\xfe bad"),
        (ming, cut_mid_char("C 小明 ".encode(), 1024)),
        (ming, "C 小明 red \x1b[31m alert".encode()),
        (ming, "C 小明 bell \x07".encode()),
        (ming, "C 小明 nul \x00 byte".encode()),
        (stranger, "C 小明 冒充".encode()),
        (stranger, "Q 小明".encode()),
        (stranger, "C 张三 冒充 JSON 用户".encode()),
        (stranger, "Q 张三".encode()),
        (stranger, "C 王五 没登录".encode()),
        (stranger, "C " + "x" * 300 + " 长名字"),
        (stranger, b"Q"),
        (stranger, b"C \xff \xfe"),
    ]
    for who, data in quiet:
        who.send(data)
    barrier(zhang, ming, li, 2)
    stranger.expect_none(0.2)
    # Q for a name nobody has is answered (its client may be waiting).
    stranger.send("Q 王五")
    stranger.expect("EXIT")

    # Still in the room, both ways.
    ming.chat("我还在")
    zhang.expect("chat", text="我还在")
    li.expect("chat", text="我还在")
    check(set(li.who()) == {"张三", "李四", "小明"}, "nobody left")

    # Something that only starts like a classroom request is JSON's.
    x = Client(srv.port)
    x.name = "x"
    # (Padded: the answer to a stranger is at most 3 times its size.)
    for data in (b"Lalice", b"C\tname text", b"Q\n", b"l alice"):
        x.ask_error(data + b" " * 100, "bad_json")

    # A long text: cut at a character boundary to 1000 bytes for JSON.
    ming.chat("中" * 400)
    m = zhang.expect("chat")
    check(m["text"] == "中" * 333, "cut to 333 characters (999 bytes): "
          "%d bytes" % len(m["text"].encode()))
    li.expect("chat", text="中" * 333)
    # A line to a student stays under 1024 bytes, cut at a boundary.
    long_name = "长" * 16
    big = Client(srv.port)
    big.login(long_name)
    ming.expect("欢迎%s进入聊天室" % long_name)
    big.request_ok("chat", text="文" * 333 + "a")
    line = ming.recv()
    check(len(line) <= 1023, "under 1024 bytes: %d" % len(line))
    text = line.decode()   # fails if cut inside a character
    check(text.startswith(long_name + " : 文") and text.endswith("文"),
          "the line is the chat, cut after a whole character: %r" %
          text[:60])
    check(len(line) > 1020, "cut only as far as needed: %d" % len(line))

    check(srv.alive(), "the server is still running")
    srv.stop()


run(main)
