#!/usr/bin/env python3
"""--classroom (docs/protocol.md, "Classroom text protocol"): a student's
plain-text client and two JSON clients in one room and one name table,
Chinese names and text, both ways, every reply checked byte for byte:
L gets exactly OK (again to its owner) or 该用户已存在 (a name taken by
either kind, reserved or not allowed); JSON chats, joins, leaves, a
/msg, a /me, a rename and announcements reach the student as their
lines; the student's chats, join and quit reach JSON clients as chat,
join and leave; Q gets EXIT; 管理员 and 管理员消息 and names that look
like them are refused to JSON logins and renames too; a kicked student gets its leave line and frees
the name; a student's chats share the run's mid count and history; the
start-up line says the mode is on; the shutdown's notice
reaches the student."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403
from classroomtest import Student  # noqa: E402


def main():
    srv = Server("--classroom", stdin=True)
    check("classroom text protocol on" in srv.stderr(),
          "the start-up line says classroom mode is on: %r" % srv.stderr())
    zhang = Client(srv.port)
    zhang.login("张三")
    ming = Student(srv.port)
    ming.login("小明")
    zhang.expect("join", name="小明")
    li = Client(srv.port)
    w = li.login("李四")
    check(set(w["users"]) == {"张三", "小明", "李四"},
          "welcome lists the student too: %r" % w["users"])
    ming.expect("欢迎李四进入聊天室")
    zhang.expect("join", name="李四")
    check(set(zhang.who()) == {"张三", "小明", "李四"}, "who lists all three")

    # JSON to classroom, exact bytes; the sender gets no line of its own.
    zhang.request_ok("chat", text="大家好，我是张三")
    ming.expect("张三 : 大家好，我是张三")
    first = li.expect("chat", text="大家好，我是张三", **{"from": "张三"})

    # Classroom to JSON: TEXT is everything after "C NAME ", spaces kept.
    ming.chat("  你好 世界  ")
    for c in (zhang, li):
        m = c.expect("chat", text="  你好 世界  ")
        check(m["from"] == "小明", "%s: from 小明: %r" % (c.name, public(m)))
        check(not m.get("history"), "a live chat")
        # One count of message numbers for both kinds of chat.
        check(m.get("mid") == first["mid"] + 1, "%s: the next mid: %r" %
              (c.name, public(m)))
    # A student's line end is not part of the text; a tab is a space.
    ming.chat("第二行\tok\r\n")
    zhang.expect("chat", text="第二行 ok")
    li.expect("chat", text="第二行 ok")

    # Announcements, private messages, /me and renames.
    srv.announce("五点下课")
    ming.expect("管理员消息 : 五点下课")
    zhang.expect("announce", text="五点下课")
    li.expect("announce", text="五点下课")
    li.request_ok("msg", to="小明", text="悄悄话")
    ming.expect("李四 (私聊) : 悄悄话")
    li.request_ok("chat", text="挥手", action=True)
    ming.expect("* 李四 挥手")
    m = zhang.expect("chat", text="挥手")
    check(m.get("action") is True, "a /me stays one: %r" % public(m))
    li.request_ok("rename", name="李四四")
    ming.expect("李四改名为李四四")
    zhang.expect("rename", to="李四四")
    li.name = "李四四"

    # One name table: a taken name, either way, and a repeated L.
    other = Student(srv.port)
    other.login("张三", reply="该用户已存在")
    other.login("小明", reply="该用户已存在")
    ming.login("小明")               # from its own address: OK again
    dup = Client(srv.port)
    dup.name = "小明"
    dup.login_error("小明", "name_taken")
    # Reserved names, to everyone; a look-alike (U+F9E4, a CJK
    # compatibility ideograph drawn as 理) is no way round.
    for name in ("管理员", "管理员消息", "管\uf9e4员", "管\uf9e4员消息"):
        other.login(name, reply="该用户已存在")
        e = dup.login_error(name, "name_taken")
        r = zhang.request_error("rename", "name_taken", name=name)
        for m in (e, r):
            check("reserved for the operator" in m.get("text", ""),
                  "says why: %r" % public(m))
    # Names the rules refuse: a space, a leading /, too long.
    for bad in ("a b", "/x", "中" * 17, "x" * 49):
        other.login(bad, reply="该用户已存在")

    # Nothing of that reached the room: the next line is this one.
    zhang.request_ok("chat", text="还在吗")
    ming.expect("张三 : 还在吗")
    li.expect("chat", text="还在吗")
    check(not any(m["type"] in ("join", "leave") for m in li.inbox),
          "no join or leave from the refusals: %r" %
          [public(m) for m in li.inbox])

    # Q: exactly EXIT, the others see a quit; the name is free again.
    ming.quit()
    for c in (zhang, li):
        m = c.expect("leave", name="小明")
        check(m["reason"] == "quit", "leave reason quit: %r" % public(m))
    ming.login("小明")
    zhang.expect("join", name="小明")

    # The operator kicks a student: its leave line, and the name is free.
    srv.announce("/kick 小明")
    ming.expect("小明退出了聊天室")
    m = zhang.expect("leave", name="小明")
    check(m["reason"] == "kicked", "kicked: %r" % public(m))
    ming.login("小明")
    zhang.expect("join", name="小明")

    # A newcomer's history holds the student's chats, with their mid.
    late = Client(srv.port)
    late.login("王五")
    h = late.expect("chat", text="  你好 世界  ")
    check(h.get("history") is True and h["from"] == "小明" and
          h["mid"] == first["mid"] + 1, "replayed as it was: %r" % public(h))
    ming.expect("欢迎王五进入聊天室")
    zhang.expect("join", name="王五")
    li.expect("join", name="王五")

    # A JSON client's quit is a leave line.
    li.quit()
    ming.expect("李四四退出了聊天室")
    zhang.expect("leave", name="李四四")

    err = srv.stop()
    check("join 小明" in err, "the log has the student's join")
    # The shutdown announcement reaches the student as a notice too.
    ming.expect("管理员消息 : server is shutting down")


run(main)
