"""Colours: a name gets a colour (the same one every time it appears);
with NO_COLOR set, or colour = off in client.conf, the screen has no
colour at all but stays readable (bold names, reverse status bar). Also: a line mentioning our name is
highlighted with a bell (the name as a word: not inside another
word), an announcement is shown as "!! text" with a
bell, and an ordinary line rings no bell."""

import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from tuitest import Plain, Server, Tui, check, run  # noqa
from chattest import TEST_HOME  # noqa

COLOUR = re.compile(r"\x1b\[[0-9;]*(3[0-7]|4[0-7]|38;|48;)")


def bell(t):
    return t.tmux("display", "-p", "#{window_bell_flag}").strip()


def styled(t):
    return t.tmux("capture-pane", "-p", "-e")


def scenario(srv, name, env, want_colour):
    with Tui(srv.port, name, extra_env=env) as t:
        t.ready(name)
        bob = Plain(srv.port, "bob" + name)
        t.wait_text("bob%s joined" % name)
        bob.say("first from bob")
        t.wait_text("<bob%s> first from bob" % name)
        check(bell(t) == "0", "no bell for an ordinary line")
        # Our name inside another word is no mention: no bell.
        bob.say("the %ss and x%s are words" % (name, name))
        t.wait_text("the %ss and x%s are words" % (name, name))
        check(bell(t) == "0", "no bell for the name inside a word")
        # The first of a mention / an announcement rings (tmux keeps a
        # bell flag on the window until it is looked at).
        events = [lambda: bob.say("hey %s look" % name),
                  lambda: srv.announce("maintenance at noon")]
        if not want_colour:
            events.reverse()
        events[0]()
        t.wait(lambda rows: bell(t) == "1", "the bell", 10)
        events[1]()
        t.wait_text("hey %s look" % name)
        t.wait_text("!! maintenance at noon")
        s = styled(t)
        line = next(l for l in s.split("\n")
                    if "first from bob" in l and "history" not in l)
        if want_colour:
            check(COLOUR.search(line), "the name is coloured: %r" % line)
            again = next(l for l in s.split("\n")
                         if "hey %s look" % name in l)
            m1 = re.search(r"(\x1b\[[0-9;]*m)+bob", line)
            m2 = re.search(r"(\x1b\[[0-9;]*m)+bob", again)
            check(m1 and m2 and m1.group(0) == m2.group(0),
                  "same colour for the same name: %r %r" % (line, again))
        else:
            check(not COLOUR.search(s), "NO_COLOR: no colour codes:\n%r" % s)
            check("\x1b[1m" in line or ";1m" in line or "[1;" in line,
                  "NO_COLOR: the name is bold: %r" % line)
            top = s.split("\n")[0]
            check("7m" in top or "[7" in top, "NO_COLOR: reverse status bar")
        mention = next(l for l in s.split("\n")
                       if "hey %s look" % name in l and "history" not in l)
        check(re.search(r"\x1b\[[0-9;]*7[0-9;]*m(\x1b\[[0-9;]*m)*hey",
                        mention),
              "the mention is highlighted: %r" % mention)
        t.keys("C-d")
        t.wait_text("CLIENT-EXITED 0")
        t.check_clean()
        bob.close()


def main():
    srv = Server(stdin=True)
    scenario(srv, "col", {}, True)
    scenario(srv, "mono", {"NO_COLOR": "1"}, False)
    # colour = off in client.conf is NO_COLOR without the variable.
    conf = os.path.join(TEST_HOME, "mono-conf")
    os.makedirs(os.path.join(conf, "lanchat"))
    with open(os.path.join(conf, "lanchat", "client.conf"), "w") as f:
        f.write("# plain black and white\ncolour = off\n")
    scenario(srv, "conf", {"XDG_CONFIG_HOME": conf}, False)
    srv.stop()


run(main)
