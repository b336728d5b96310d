#!/usr/bin/env python3
"""/ignore NAME hides NAME's chats, actions and private messages, counted
in the status bar; /ignore alone lists; the list is kept in client.conf's
ignore line, the user's other lines and comments untouched, so the next
start still ignores; /unignore shows NAME again and drops the line."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from tuitest import Plain, Server, Tui, check, log, run  # noqa
from chattest import TEST_HOME  # noqa

CONF_DIR = os.path.join(TEST_HOME, ".config", "lanchat")
CONF = os.path.join(CONF_DIR, "client.conf")
MINE = "# my settings\n\n# not noise for me\nfilter = none\n"


def conf_text():
    with open(CONF) as f:
        return f.read()


def main():
    os.makedirs(CONF_DIR)
    with open(CONF, "w") as f:
        f.write(MINE)
    srv = Server()
    bob = Plain(srv.port, "bob")
    carol = Plain(srv.port, "carol")
    with Tui(srv.port, "alice") as t:
        t.ready("alice")
        t.type("/ignore bob")
        t.keys("Enter")
        t.wait_text("ignoring bob: their chats and private messages")
        t.wait_text("(kept")
        text = conf_text()
        log(text)
        check(text == MINE + "ignore = bob\n",
              "the ignore line is added, the rest kept: %r" % text)
        bob.say("spam one")
        bob.say("/me spams")
        bob.say("/msg alice psst")
        carol.say("carol speaks")
        t.wait_text("<carol> carol speaks")
        t.wait(lambda rows: "3 hidden" in rows[0], "3 hidden in the bar")
        screen = "\n".join(t.screen())
        check("spam" not in screen and "psst" not in screen,
              "bob's lines are not shown:\n" + t.dump())
        t.type("/ignore")
        t.keys("Enter")
        t.wait_text("ignoring: bob (3 lines hidden)")
        t.quit()
    # The next start reads the list back.
    with Tui(srv.port, "alice") as t:
        t.ready("alice")
        bob.say("still ignored")
        carol.say("carol again")
        t.wait_text("<carol> carol again")
        check(not any("still ignored" in r for r in t.screen()),
              "ignored after a restart:\n" + t.dump())
        t.type("/unignore bob")
        t.keys("Enter")
        t.wait_text("no longer ignoring bob")
        bob.say("bob is back")
        t.wait_text("<bob> bob is back")
        text = conf_text()
        check(text == MINE, "the ignore line is gone, the rest kept: %r"
              % text)
        t.type("/unignore bob")
        t.keys("Enter")
        t.wait_text("error: you are not ignoring bob")
        t.quit()
    bob.close()
    carol.close()
    srv.stop()


run(main)
