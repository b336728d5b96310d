"""The full-screen chat_client --classroom against the test's own
classroom-style server (tests/lib/classroomserver.py), in two variants of
course copies: the status bar names the mode and says it has no delivery
guarantee, and the first lines say it in words; chats show with their
sender (name : text, and name 说: text with notices after a newline),
joins, leaves and the admin's notices as such, an escape sequence from
the server as visible characters (the screen is not cleared); an own
line goes out as exactly C NAME TEXT and shows once, even from a server
that echoes it; Ctrl-D sends Q NAME and ends the client with status 0
once EXIT (or exit) came."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from tuitest import Tui, check, log, run  # noqa: E402
from classroomserver import ClassroomServer  # noqa: E402


def room(variant):
    log("variant %r" % (variant,))
    srv = ClassroomServer(**variant)
    srv.join("张三")
    try:
        with Tui(srv.port, "小明", args=["--classroom"]) as t:
            t.wait(lambda rows: "#classroom" in rows[0] and "小明" in rows[0]
                   and "no delivery guarantee" in rows[0] and
                   rows[-1].startswith(">"), "status bar and prompt")
            srv.wait_received("L 小明")
            t.wait_text("no acknowledgements and no")
            srv.say("张三", "你好，小明 \x1b[2J\x1b[H")
            t.wait_text("<张三> 你好，小明 ^[[2J^[[H")
            check(any("connected to 127.0.0.1" in r for r in t.screen()),
                  "the escape did not clear the screen:\n" + t.dump())
            t.type("大家好 everyone")
            t.keys("Enter")
            srv.wait_received("C 小明 大家好 everyone")
            t.wait_text("<小明> 大家好 everyone")
            t.wait_input("")
            srv.join("李四")
            t.wait_text("-- 李四 joined")
            srv.say("李四", "收到")
            t.wait_text("<李四> 收到")
            srv.admin("五点下课")
            t.wait_text("!! 五点下课")
            srv.leave("李四")
            t.wait_text("-- 李四 left")
            check(sum("大家好 everyone" in r for r in t.screen()) == 1,
                  "own line once (echo=%s):\n%s" %
                  (variant.get("echo"), t.dump()))
            log(t.dump())
            t.keys("C-d")
            t.wait_text("CLIENT-EXITED 0")
            srv.wait_received("Q 小明")
            check(not srv.online("小明"), "the server saw the quit")
            t.check_clean()
    finally:
        srv.stop()


def main():
    room({})
    room({"form": "name 说: text", "newline": True, "echo": True,
          "exit": "exit"})


run(main)
