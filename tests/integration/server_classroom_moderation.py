#!/usr/bin/env python3
"""The operator's moderation reaches a classroom student too: a muted
student's chat reaches nobody (and a later one, once unmuted, does); a
/ban of its name removes it (the leave line, then its name refused with
该用户已存在 at L), a name of --reserve is refused at L; the JSON clients
see the chat only when it is allowed."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403
from classroomtest import Student  # noqa: E402


def ok(srv, *args):
    rc, out, err = run_server_cmd(["-p", str(srv.port)] + list(args))
    log("chat_server %s -> %d %s%s" % (" ".join(args), rc, out, err))
    check(rc == 0, "chat_server %s exits 0: %d %r" % (" ".join(args), rc,
                                                      out + err))
    return out


def main():
    srv = Server("--classroom", "--reserve", "teacher")
    zhang = Client(srv.port)
    zhang.login("张三")
    ming = Student(srv.port)
    ming.login("小明")
    zhang.expect("join", name="小明")

    ok(srv, "--mute", "小明")
    ming.chat("muted words")
    ming.chat("and more")
    # A barrier: zhang's own chat, acked after the student's were handled.
    zhang.request_ok("chat", text="barrier")
    zhang.pump(0.3)
    check(zhang.received("chat") == [], "a muted student's chat reaches "
          "nobody: %r" % [public(m) for m in zhang.received("chat")])
    ok(srv, "--unmute", "小明")
    ming.chat("free again")
    zhang.expect("chat", text="free again", **{"from": "小明"})

    # A reserved name is refused to a student as to a JSON login.
    other = Student(srv.port)
    other.login("teacher", reply="该用户已存在")

    # A ban removes the student and keeps its name out.
    ming.drain()
    ok(srv, "--ban", "小明")
    zhang.expect("leave", name="小明", reason="kicked")
    again = Student(srv.port)
    again.login("小明", reply="该用户已存在")
    ok(srv, "--unban", "小明")
    again.login("小明")
    zhang.expect("join", name="小明")
    srv.stop()


if __name__ == "__main__":
    run(main)
