#!/usr/bin/env python3
"""The operator's moderation commands, run on a server started in the
background through its control socket (chat_server --who, --mute, ...),
each checked on the wire:

- --who prints the table: name, address, idle since the last chat (not
  since the last ping), online for, chats, and "muted" for a muted one.
- --mute NAME: that student's chat and msg get error "muted" with their
  id and reach nobody; a rename or a new login keeps the mute; --unmute
  lifts it. /mute NAME MINUTES says how long.
- --msg NAME TEXT: a private msg from "operator" to that one student.
- --rename NAME NEW: everyone (the student too) gets rename.
- --ban NAME: kicked, and a login with that name is refused "banned"
  (another name from the same machine is not); --ban @ADDR refuses any
  name from that address; --bans lists them; --unban lifts them.
- --slow SECONDS: a second chat within SECONDS gets slow_down with its
  id; 0 turns it off.
- --topic TEXT: everyone gets topic with the text, a newcomer finds it
  in welcome; --topic '' clears it (topic without text, none in welcome).
- --reserve: those names and the operator's own ("operator", 管理员,
  管理员消息: "reserved for the operator") are name_taken at login and
  at rename.
- Every refused login is a log line with the address."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403

import re


def ctl(srv, *args):
    rc, out, err = run_server_cmd(["-p", str(srv.port)] + list(args))
    log("chat_server %s -> %d %s%s" % (" ".join(args), rc, out, err))
    return rc, out, err


def ok(srv, *args):
    rc, out, err = ctl(srv, *args)
    check(rc == 0, "chat_server %s exits 0: %d %r" % (" ".join(args), rc,
                                                      out + err))
    return out


def who_rows(out):
    rows = {}
    for line in out.splitlines():
        w = line.split()
        if w and w[0] not in ("NAME",) and len(w) >= 5 and ":" in w[1]:
            rows[w[0]] = w
    return rows


def main():
    srv = Server("--reserve", "teacher,助教")
    a, b, c = login_room(srv.port, "alice", "bob", "carol")

    # --who: the table; idle counts from the last chat, not pings.
    a.request_ok("chat", text="first")
    b.expect("chat", text="first")
    c.expect("chat", text="first")
    out = ok(srv, "--who")
    rows = who_rows(out)
    check(set(rows) == {"alice", "bob", "carol"}, "a row each: %r" % out)
    check(rows["alice"][1] == "127.0.0.1:%d" % a.sock.getsockname()[1],
          "alice's address: %r" % rows["alice"])
    check(rows["alice"][4] == "1" and rows["bob"][4] == "0",
          "chats: %r" % out)
    check("3 in the room" in out, "a count: %r" % out)

    # --topic: to everyone now, in welcome later; '' clears it.
    out = ok(srv, "--topic", "Lab 3:", "sockets")
    check("Lab 3: sockets" in out, "told: %r" % out)
    for x in (a, b, c):
        m = x.expect("topic")
        check(m.get("text") == "Lab 3: sockets", "%s gets the topic: %r" %
              (x.name, public(m)))
    n = Client(srv.port)
    w = n.login("newcomer")
    check(w.get("topic") == "Lab 3: sockets", "welcome has it: %r" %
          public(w))
    n.quit()
    ok(srv, "--topic", "")
    for x in (a, b, c):
        m = x.expect("topic")
        check("text" not in m, "%s: cleared, no text: %r" % (x.name,
                                                             public(m)))
    n = Client(srv.port)
    w = n.login("newcomer2")
    check("topic" not in w, "no topic in welcome once cleared: %r" %
          public(w))
    n.quit()
    for x in (a, b, c):
        x.expect("leave", name="newcomer2")

    # --mute: refused with its id, forwarded to nobody.
    out = ok(srv, "--mute", "bob")
    check("bob is muted" in out, "the operator is told: %r" % out)
    r = b.request_error("chat", "muted", text="I am loud")
    check("muted" in r.get("text", ""), "words say muted: %r" % public(r))
    b.request_error("msg", "muted", to="alice", text="psst")
    check("muted" in who_rows(ok(srv, "--who"))["bob"][5:],
          "/who marks bob muted")
    # Renamed or logged in again, still muted.
    b.request_ok("rename", name="bobby")
    a.expect("rename", to="bobby")
    c.expect("rename", to="bobby")
    b.name = "bobby"
    b.request_error("chat", "muted", text="new name")
    b.quit()
    a.expect("leave", name="bobby")
    c.expect("leave", name="bobby")
    b = Client(srv.port)
    b.login("bobby")
    a.expect("join", name="bobby")
    c.expect("join", name="bobby")
    b.request_error("chat", "muted", text="new login")
    a.ping()
    c.ping()
    check(a.received("chat") == [] and c.received("chat") == [] and
          a.received("msg") == [], "nothing of bob's reached anyone: %r" %
          [public(m) for m in a.inbox + c.inbox])
    out = ok(srv, "--bans")
    check(re.search(r"mute\s+bobby", out), "--bans lists the mute: %r" % out)
    ok(srv, "--unmute", "bobby")
    b.request_ok("chat", text="sorry")
    a.expect("chat", text="sorry")
    c.expect("chat", text="sorry")
    # For a while: the words say how long.
    ok(srv, "--cmd", "/mute bobby 10")
    r = b.request_error("chat", "muted", text="x")
    check("10 more minutes" in r.get("text", ""), "how long: %r" % public(r))
    ok(srv, "--unmute", "bobby")

    # --msg: one private msg from the operator.
    ok(srv, "--msg", "carol", "see", "me", "after", "class")
    m = c.expect("msg")
    check(m.get("from") == "operator" and m.get("text") ==
          "see me after class", "carol gets it from operator: %r" % public(m))
    a.ping()
    check(a.received("msg") == [], "nobody else does")
    rc, out, err = ctl(srv, "--msg", "nobody", "hi")
    check(rc != 0 and "nobody named nobody" in err,
          "an unknown name is an error in words: %r" % err)

    # --rename: everyone, the student too.
    ok(srv, "--rename", "carol", "carla")
    for x in (a, b, c):
        m = x.expect("rename")
        check(m.get("from") == "carol" and m.get("to") == "carla",
              "%s sees carol become carla: %r" % (x.name, public(m)))
    c.name = "carla"
    check("carla" in a.who(), "the new name is listed")

    # --slow: one chat per SECONDS.
    ok(srv, "--slow", "30")
    c.request_ok("chat", text="one")
    r = c.request_error("chat", "slow_down", text="two")
    check("30" in r.get("text", ""), "slow mode says its pace: %r" %
          public(r))
    ok(srv, "--slow", "0")
    r = c.request("chat", text="two", id=r["id"])
    check(r.get("type") == "ack", "slow mode off: %r" % public(r))

    # --ban NAME: kicked, and refused at login by name only.
    out = ok(srv, "--ban", "carla")
    check("carla is banned" in out, "told: %r" % out)
    m = c.expect("leave", name="carla")
    check(m.get("reason") == "kicked", "banned means kicked: %r" % public(m))
    a.expect("leave", name="carla")
    x = Client(srv.port)
    x.name = "carla"
    e = x.login_error("carla", "banned")
    check("banned" in e.get("text", ""), "in words: %r" % public(e))
    y = Client(srv.port)
    y.login("dave")
    a.expect("join", name="dave")
    out = ok(srv, "--bans")
    check(re.search(r"ban\s+carla", out), "--bans lists it: %r" % out)
    ok(srv, "--unban", "carla")
    x.login("carla")
    a.expect("join", name="carla")

    # --ban @ADDR: any name from there.
    out = ok(srv, "--ban", "@127.0.0.1", "5")
    check("@127.0.0.1 is banned (for 5 more minutes)" in out, "told: %r" %
          out)
    for who in (a, b, x, y):
        who.expect("leave", name=who.name)
    z = Client(srv.port)
    z.name = "zed"
    z.login_error("zed", "banned")
    ok(srv, "--unban", "@127.0.0.1")
    z.login("zed")

    # Reserved names: at login and at rename, and to the operator's
    # /rename; the operator's own say so.
    for name in ("teacher", "助教", "operator", "管理员", "管理员消息"):
        r = Client(srv.port)
        r.name = "r"
        e = r.login_error(name, "name_taken")
        check(("for the operator" in e["text"]) == (name not in
              ("teacher", "助教")), "whose: %r" % public(e))
    z.request_error("rename", "name_taken", name="teacher")
    r = z.request_error("rename", "name_taken", name="operator")
    check("reserved for the operator" in r.get("text", ""),
          "says why: %r" % public(r))
    for name in ("teacher", "管理员"):
        rc, out, err = ctl(srv, "--rename", "zed", name)
        check(rc != 0 and "is taken" in out + err,
              "--rename to %s is refused: %r" % (name, out + err))

    # Every refused login is logged with its address.
    err = srv.stderr()
    for code in ("banned", "name taken"):
        check(re.search(r"refused login of \S+ from 127\.0\.0\.1:\d+: " +
                        code, err), "a log line for %s: %s" % (code, err))
    srv.stop()


run(main)
