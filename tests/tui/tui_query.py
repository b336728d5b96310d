"""Private talk as irssi users expect it. /r answers the last one who
wrote to us privately; /query NAME sends what we type to NAME alone
(the status bar says "[query NAME]", following a rename) until /query
alone; a private
message that comes while we are scrolled back is counted in the status
bar ("[1 private]", "+N") until End shows it. The plain client's /r
and /query work the same (bob and carol here are plain clients)."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from tuitest import Plain, Senders, Server, Tui, check, run  # noqa


def main():
    srv = Server()
    with Tui(srv.port, "alice") as t:
        t.ready("alice")
        bob = Plain(srv.port, "bob")
        carol = Plain(srv.port, "carol")
        t.wait_text("carol joined")

        t.type("/r too early")
        t.keys("Enter")
        t.wait_text("nobody has written to you privately yet")
        bob.say("/msg alice are you there?")
        t.wait_text("*bob* are you there?")
        t.type("/r yes, here")
        t.keys("Enter")
        t.wait_text("-> *bob* yes, here")
        bob.wait_line(r"\*alice\* yes, here")
        # bob (plain) answers with /r too.
        bob.say("/r good")
        t.wait_text("*bob* good")

        t.type("/query carol")
        t.keys("Enter")
        t.wait(lambda rows: "[query carol]" in rows[0], "the query target "
               "in the status bar")
        t.wait_text("talking to carol privately")
        t.type("only for you")
        t.keys("Enter")
        t.wait_text("-> *carol* only for you")
        carol.wait_line(r"\*alice\* only for you")
        carol.say("/nick carla")
        t.wait(lambda rows: "[query carla]" in rows[0], "the query follows "
               "a rename")
        t.type("still you")
        t.keys("Enter")
        carol.wait_line(r"\*alice\* still you")
        carol.say("/nick carol")
        t.wait(lambda rows: "[query carol]" in rows[0], "and back")
        t.type("/query")
        t.keys("Enter")
        t.wait(lambda rows: "[query" not in rows[0], "the query ended")
        t.type("for the room")
        t.keys("Enter")
        bob.wait_line(r"<alice> for the room")
        bob._drain()
        check(not any("only for you" in l for l in bob.lines),
              "the query line went to carol alone: %r" % bob.lines)

        # carol (plain) keeps a query too.
        carol.say("/query alice")
        carol.wait_line(r"talking to alice privately")
        carol.say("psst")
        t.wait_text("*carol* psst")

        senders = Senders(srv.port, ["tx1", "tx2"])
        for i in range(30):
            senders.chat(i, "filler %02d" % i)
        t.wait_text("filler 29")
        t.keys("PPage")
        t.wait_text("more below")
        bob.say("/msg alice while you read")
        t.wait(lambda rows: "[1 private]" in rows[0] and "+1" in rows[0],
               "the private message counted")
        senders.chat(0, "one more")
        t.wait(lambda rows: "+2" in rows[0], "every unseen line counted")
        check("[1 private]" in t.screen()[0], "one private: %r"
              % t.screen()[0])
        t.keys("End")
        t.wait(lambda rows: "private]" not in rows[0] and
               "+2" not in rows[0], "seen: the counts end")
        t.wait_text("*bob* while you read")
        t.keys("C-c")
        t.wait_text("CLIENT-EXITED 0")
        t.check_clean()
        senders.close()
        bob.close()
        carol.close()
    srv.stop()


run(main)
