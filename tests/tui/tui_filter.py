#!/usr/bin/env python3
"""/filter joins (and filter = joins in client.conf) hides joins and
leaves from the full screen; the status bar counts what was hidden,
/filter alone says the state and the counts, a kick still shows, and
/filter joins shows them again. In --plain the same words are printed
and joins are not."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from tuitest import Plain, Server, Tui, check, log, run  # noqa
from chattest import TEST_HOME  # noqa


def conf_dir(name, text):
    d = os.path.join(TEST_HOME, name)
    os.makedirs(os.path.join(d, "lanchat"))
    with open(os.path.join(d, "lanchat", "client.conf"), "w") as f:
        f.write(text)
    return d


def full_screen(srv):
    d = conf_dir("filtered", "# quiet, please\nfilter = joins\n")
    with Tui(srv.port, "alice", extra_env={"XDG_CONFIG_HOME": d}) as t:
        t.ready("alice")
        bob = Plain(srv.port, "bob")
        bob.say("hello from bob")
        t.wait_text("<bob> hello from bob")
        t.wait(lambda rows: "1 hidden" in rows[0], "1 hidden in the bar")
        check(not any("bob joined" in r for r in t.screen()),
              "the join is hidden:\n" + t.dump())
        bob.close()
        t.wait(lambda rows: "2 hidden" in rows[0], "2 hidden in the bar")
        check(not any("bob left" in r for r in t.screen()),
              "the leave is hidden:\n" + t.dump())
        t.type("/filter")
        t.keys("Enter")
        t.wait_text("joins and leaves hidden (1 join, 1 leave so far")
        # A kick is news, not noise.
        carol = Plain(srv.port, "carol")
        t.wait(lambda rows: "3 hidden" in rows[0], "3 hidden in the bar")
        srv.announce("/kick carol")
        t.wait_text("carol left (kicked")
        carol.cleanup()
        t.type("/filter joins")
        t.keys("Enter")
        t.wait_text("joins and leaves shown")
        dave = Plain(srv.port, "dave")
        t.wait_text("-- dave joined")
        dave.close()
        t.wait_text("-- dave left")
        t.quit()


def plain_mode(srv):
    watcher = Plain(srv.port, "watcher")
    # Only a session that exists sees the join (joins are not replayed).
    watcher.wait_line(r"-- connected to \S+ as watcher", 20)
    pat = Plain(srv.port, "pat", args=("--filter", "joins"))
    watcher.wait_line(r"-- pat joined", 20)   # a login under load
    eve = Plain(srv.port, "eve")
    eve.say("eve here")
    watcher.wait_line(r"<eve> eve here")
    eve.close()
    watcher.wait_line(r"-- eve left")
    # pat has the leave too once it shows a line the server sent it
    # later: /filter then counts it.
    watcher.say("after eve")
    pat.wait_line(r"^\S+ <watcher> after eve$")
    pat.say("/filter")
    pat.close()
    out = "\n".join(pat.lines)
    log(out)
    check("<eve> eve here" in out, "plain shows the chat:\n" + out)
    check("eve joined" not in out and "eve left" not in out,
          "plain hides the join and the leave:\n" + out)
    check("-- joins and leaves hidden (1 join, 1 leave so far" in out,
          "/filter says the counts in plain:\n" + out)
    watcher.close()


def main():
    srv = Server(stdin=True)
    full_screen(srv)
    plain_mode(srv)
    srv.stop()


run(main)
