#!/usr/bin/env python3
"""Two, then three, real plain clients converse through the real server.

Every chat line arrives exactly once and in order, in the plain format
("HH:MM:SS <alice> text"); own lines are printed once acked; Chinese
text is intact; a newcomer gets the history marked "[history]"; /msg,
/nick, /who, join and leave lines look as documented; a local command
error is shown and nothing is sent; an announcement is "!! text".
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from chattest import Server, check, log, run  # noqa: E402
from clienttest import TIME_RE, PlainClient, lines_of  # noqa: E402

T = "^" + TIME_RE + " "


def main():
    srv = Server(stdin=True)
    try:
        converse(srv)
    finally:
        srv.stop()


def converse(srv):
    a = PlainClient(srv.port, "alice")
    b = PlainClient(srv.port, "bob")
    a.wait_line(T + r"-- bob joined$")

    said_a = ["hello %d 你好，世界 🙂" % i for i in range(10)]
    said_b = ["reply %d 谢谢" % i for i in range(10)]
    for x, y in zip(said_a, said_b):
        a.say(x)
        b.say("\t " + y + "  ")     # trimmed, tab -> space
    b.wait_count(T + r"<alice> ", 10)
    a.wait_count(T + r"<bob> ", 10)
    a.wait_count(T + r"<alice> ", 10)
    b.wait_count(T + r"<bob> ", 10)
    check(lines_of(b, T + r"<alice> (.*)$") == said_a,
          "bob saw alice's lines once, in order: %r" %
          lines_of(b, T + r"<alice> (.*)$"))
    check(lines_of(a, T + r"<bob> (.*)$") == said_b,
          "alice saw bob's lines once, in order: %r" %
          lines_of(a, T + r"<bob> (.*)$"))
    check(lines_of(a, T + r"<alice> (.*)$") == said_a,
          "alice saw her own lines acked once each: %r" %
          lines_of(a, T + r"<alice> (.*)$"))
    check(lines_of(b, T + r"<bob> (.*)$") == said_b,
          "bob saw his own lines acked once each: %r" %
          lines_of(b, T + r"<bob> (.*)$"))

    # A third client: joins, gets history marked as such.
    c = PlainClient(srv.port, "carol")
    a.wait_line(T + r"-- carol joined$")
    b.wait_line(T + r"-- carol joined$")
    hist = c.wait_count(T + r"\[history\] <(alice|bob)> ", 1)
    c.say("hi all")
    a.wait_line(T + r"<carol> hi all$")
    b.wait_line(T + r"<carol> hi all$")
    c.wait_line(T + r"<carol> hi all$")
    hist = lines_of(c, T + r"\[history\] (<.*)$")
    everything = []
    for x, y in zip(said_a, said_b):
        everything += ["<alice> " + x, "<bob> " + y]
    log("carol got %d history lines" % len(hist))
    check(all(h in everything for h in hist), "history lines are real: %r"
          % hist)
    check(not lines_of(c, T + r"<(alice|bob)> "),
          "carol shows history only as history")
    check(not a.matching(r"\[history\]"), "alice got no history replay")

    # /msg: only the recipient sees it; the sender sees it once acked.
    a.say("/msg carol 悄悄话 secret")
    c.wait_line(T + r"\*alice\* 悄悄话 secret$")
    a.wait_line(T + r"-> \*carol\* 悄悄话 secret$")
    a.say("/msg nobody hi")
    a.wait_line(T + r"error: .*nobody|" + T + r"error: no such user")

    # /nick: everyone sees the rename, the renamed client too.
    b.say("/nick 小白")
    a.wait_line(T + r"-- bob is now 小白$")
    c.wait_line(T + r"-- bob is now 小白$")
    b.wait_line(T + r"-- bob is now 小白$")
    b.say("new name here")
    a.wait_line(T + r"<小白> new name here$")
    b.wait_line(T + r"<小白> new name here$")
    b.say("/nick alice")
    b.wait_line(T + r"error: ")

    # /who lists everyone, local errors are local.
    c.say("/who")
    who = c.wait_line(T + r"-- users: ")
    for n in ("alice", "小白", "carol"):
        check(n in who, "/who lists %s: %r" % (n, who))
    c.say("/help")
    c.wait_line(T + r"-- commands:$")
    c.wait_line(T + r"--   /msg NAME TEXT ")
    c.wait_line(T + r"--   /quit ")
    c.say("/clear")             # nothing to clear in plain mode
    c.say("/frobnicate")
    c.wait_line(T + r"error: unknown command /frobnicate")
    c.say("x" * 1234)
    c.wait_line(T + r"error: message is 1234 bytes; the limit is 1000$")
    c.say("still here")
    a.wait_line(T + r"<carol> still here$")
    check(not b.matching("悄悄话"), "bob never saw the private message")
    check(not a.matching("frobnicate") and not a.matching("xxxxxxxx"),
          "local errors were not sent")

    # The operator's announcement reaches everyone.
    srv.announce("维护 maintenance at noon")
    for cl in (a, b, c):
        cl.wait_line(T + r"!! 维护 maintenance at noon$")

    # Leaving.
    c.quit()
    a.wait_line(T + r"-- carol left \(quit\)$")
    b.wait_line(T + r"-- carol left \(quit\)$")
    b.quit()
    a.wait_line(T + r"-- 小白 left \(quit\)$")
    a.quit()
    for cl in (a, b, c):
        bad = [l for l in cl.lines if not l.startswith(tuple("0123456789"))]
        check(not bad, "%s: every line starts with a time: %r" %
              (cl.name, bad))


if __name__ == "__main__":
    run(main)
