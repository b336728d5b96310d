#!/usr/bin/env python3
"""The plain client's own states: /query NAME sends the lines after it
to NAME alone (and nothing to the room) until /query alone; /r answers
the last one who wrote privately; /away sends nothing, and /back counts
the private messages and mentions that came meanwhile; /topic with no
topic says so; /names prints the names once. An ignored person's
private message neither becomes /r's target nor counts for /back.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from chattest import Server, check, run  # noqa: E402
from clienttest import TIME_RE, PlainClient  # noqa: E402

T = "^" + TIME_RE + " "


def main():
    srv = Server()
    try:
        talk(srv)
    finally:
        srv.stop()


def talk(srv):
    a = PlainClient(srv.port, "alice")
    b = PlainClient(srv.port, "bob")
    c = PlainClient(srv.port, "carol")
    a.wait_line(T + r"-- carol joined$")
    b.wait_line(T + r"-- carol joined$")

    a.say("/query bob")
    a.wait_line(T + r"-- talking to bob privately")
    a.say("just us")
    b.wait_line(T + r"\*alice\* just us$")
    a.wait_line(T + r"-> \*bob\* just us$")
    a.say("/query")
    a.wait_line(T + r"-- talking to the room again$")
    a.say("everyone")
    c.wait_line(T + r"<alice> everyone$")
    check(not any("just us" in l for l in c.lines), "carol never saw the "
          "query's line: %r" % c.lines)

    b.say("/r got it")
    a.wait_line(T + r"\*bob\* got it$")
    a.say("/r thanks")
    b.wait_line(T + r"\*alice\* thanks$")

    a.say("/away lunch")
    a.wait_line(T + r"-- you are marked away: lunch \(here only")
    c.say("/msg alice are you there")
    c.say("alice: ping")
    c.say("no mention here")
    a.wait_line(T + r"<carol> no mention here$")
    a.say("/back")
    a.wait_line(T + r"-- back; while away: 1 private message, 1 mention$")
    check(not any("lunch" in l for l in b.lines + c.lines),
          "nobody was told of the away")

    # An ignored person's private line is not seen: /r still answers
    # bob, and /back does not count it.
    a.say("/ignore carol")
    a.wait_line(T + r"-- ignoring carol")
    b.say("/msg alice hi")
    a.wait_line(T + r"\*bob\* hi$")
    a.say("/away")
    a.wait_line(T + r"-- you are marked away")
    c.say("/msg alice psst")
    c.wait_line(T + r"-> \*alice\* psst$")
    b.say("sync")   # the server sent psst to alice before this
    a.wait_line(T + r"<bob> sync$")
    a.say("/back")
    a.wait_line(T + r"-- back; while away: 0 private messages, 0 mentions$")
    a.say("/r still you")
    a.wait_line(T + r"-> \*bob\* still you$")
    b.wait_line(T + r"\*alice\* still you$")
    check(not any("still you" in l for l in c.lines),
          "/r went to the ignored carol: %r" % c.lines)

    a.say("/topic")
    a.wait_line(T + r"-- no topic is set$")
    a.say("/names")
    line = a.wait_line(T + r"-- users: ")
    check(sorted(line.split("-- users: ")[1].split(", ")) ==
          ["alice", "bob", "carol"], "the names: %r" % line)
    for x in (a, b, c):
        x.quit()


run(main)
