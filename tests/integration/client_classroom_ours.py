#!/usr/bin/env python3
"""chat_client --classroom --plain against our own chat_server
--classroom, next to a JSON chat_client: Chinese lines both ways, the
JSON client sees the student join and leave, the student sees the JSON
client's join, chats and the operator's announcement."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403
from clienttest import *  # noqa: E402,F401,F403

T = TIME_RE


def main():
    srv = Server("--classroom", stdin=True)
    ming = PlainClient(srv.port, "小明", args=["--classroom"])
    ming.wait_line(r"-- connected to .* as 小明 \(classroom mode\)$")
    zhang = PlainClient(srv.port, "张三")
    ming.wait_line(r"^%s -- 张三 joined$" % T)
    zhang.say("你好，小明")
    ming.wait_line(r"^%s <张三> 你好，小明$" % T)
    ming.say("你好，张三 :)")
    zhang.wait_line(r"^%s <小明> 你好，张三 :\)$" % T)
    ming.wait_line(r"^%s <小明> 你好，张三 :\)$" % T)
    srv.announce("下课了")
    ming.wait_line(r"^%s !! 下课了$" % T)
    zhang.wait_line(r"^%s !! 下课了$" % T)
    ming.quit()
    zhang.wait_line(r"^%s -- 小明 left \(quit\)$" % T)
    zhang.quit()
    srv.stop()


run(main)
