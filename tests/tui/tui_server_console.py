#!/usr/bin/env python3
"""The server's console in a real terminal, as a teacher uses it: a
prompt; Up then Enter runs /who again and announces nothing (never
"^[[A"); Home/End and Ctrl-A/E/U/W edit; Page Up, F5 and Alt keys type
nothing; a log line (a student joining) arrives above the prompt while
an announcement is being typed and the typed line stays whole; after an
announcement "-- announced to N"; Tab completes a command and a name;
the commands act on the wire and on a student's screen: a muted
student's plain client says why its line was refused, a banned one is
refused at login in words; the topic and its clearing show on a
student's screen; one the operator renamed knows its new name
(its kick under that name is its own). A resize redraws the prompt line.
Ctrl-Z gives the shell a sane terminal back
and fg brings the console back."""

import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from tuitest import Plain, ShellTui, chattest, check, run  # noqa

SERVER_BIN = chattest.SERVER_BIN

CONSOLE = "chat_server>"


class ServerTui(ShellTui):
    """chat_server in a tmux pane running bash with job control: the
    shell pane of the client's tests, typing the server's command."""

    def __init__(self, x=100, y=30):
        server = "%s -b 127.0.0.1 -p 0 --room tui-%d" % (SERVER_BIN,
                                                         os.getpid())
        super().__init__(0, "-", x, y, wrap=lambda cmd: server)
        rows = self.wait(lambda rows: any("listening on" in r for r in rows)
                         and rows, "listening on")
        line = next(r for r in rows if "listening on" in r)
        self.port = int(re.search(r"listening on \S+ (\d+)", line).group(1))

    def client_pids(self):
        return []

    def prompt_row(self):
        rows = [r for r in self.screen() if r.startswith(CONSOLE)]
        return rows[-1] if rows else None

    def wait_prompt(self, text):
        want = (CONSOLE + " " + text).rstrip()
        self.wait(lambda rows: self.prompt_row() == want and
                  self.cursor()[0] == len(CONSOLE) + 1 + len(text),
                  "prompt line %r" % want)

    def run_line(self, text):
        self.type(text)
        self.wait_prompt(text)
        self.keys("Enter")


def quiet(c, what):
    """c got no announce (ping is the barrier)."""
    c.ping()
    got = c.received("announce")
    check(got == [], "%s: nothing announced: %r" % (what, got))


def main():
    with ServerTui() as t:
        t.wait_prompt("")
        a = chattest.Client(t.port)
        a.login("alice")
        t.wait_text("join alice from 127.0.0.1:")

        # Up then Enter runs /who again, and announces nothing.
        t.run_line("/who")
        t.wait(lambda rows: sum("1 in the room" in r for r in rows) == 1,
               "/who's table")
        t.keys("Up")
        t.wait_prompt("/who")
        t.keys("Enter")
        t.wait(lambda rows: sum("1 in the room" in r for r in rows) == 2,
               "/who again")
        quiet(a, "Up then Enter")
        # Keys with escape sequences of their own type nothing.
        t.keys("PageUp", "F5", "M-a", "Insert", "F12", "PageDown")
        t.wait_prompt("")
        t.keys("Enter")
        quiet(a, "Page Up, F5, Alt-a, Insert, F12, Page Down")

        # Editing: Ctrl-A/E, Home/End, Ctrl-W, Ctrl-U.
        t.type("ello class")
        t.keys("C-a")
        t.type("h")
        t.keys("C-e")
        t.type("!")
        t.wait_prompt("hello class!")
        t.keys("Home", "Right", "End", "BSpace")
        t.wait_prompt("hello class")
        t.type(" one two")
        t.keys("C-w")
        t.wait_prompt("hello class one ")
        t.keys("C-w", "BSpace")
        t.wait_prompt("hello class")
        t.keys("Enter")
        m = a.expect("announce")
        check(m.get("text") == "hello class", "edited line: %r" % m)
        t.wait_text("-- announced to 1")
        t.type("junk")
        t.keys("C-u")
        t.wait_prompt("")

        # A narrower terminal: the prompt line is drawn again to fit,
        # the end of what is typed in view; wider again, all of it.
        long = "the quick brown fox jumps over the lazy dog, far"
        t.type(long)
        t.wait_prompt(long)
        t.tmux("resize-window", "-x", "40")
        t.wait(lambda rows: t.prompt_row() is not None and
               len(t.prompt_row()) <= 40 and
               t.prompt_row().endswith("lazy dog, far"),
               "the prompt line redrawn at 40 columns")
        t.tmux("resize-window", "-x", "100")
        t.wait_prompt(long)
        t.keys("C-u")
        t.wait_prompt("")

        # A log line while typing: above the prompt, the line kept whole.
        t.type("Please open the lab sh")
        t.wait_prompt("Please open the lab sh")
        b = chattest.Client(t.port)
        b.login("bob")
        a.expect("join", name="bob")
        t.wait_text("join bob from")
        rows = t.screen()
        join = next(r for r in rows if "join bob from" in r)
        check(join.startswith("chat_server: join bob") and
              "Please" not in join, "the log line is whole: %r" % join)
        t.wait_prompt("Please open the lab sh")
        t.type("eet")
        t.keys("Enter")
        for c in (a, b):
            # bob, a newcomer, may first get the earlier one as history.
            m = c.expect("announce", text="Please open the lab sheet")
            check(not m.get("history"),
                  "%s: the announcement, whole and new: %r" % (c.name, m))
        t.wait_text("-- announced to 2")

        # Tab: a command, then a name.
        carol = Plain(t.port, "carol")
        carol.wait_line("connected")
        a.expect("join", name="carol")
        t.type("/mu")
        t.keys("Tab")
        t.wait_prompt("/mute ")
        t.type("ca")
        t.keys("Tab")
        t.wait_prompt("/mute carol ")
        t.keys("Enter")
        t.wait_text("carol is muted")
        carol.say("can you hear me")
        carol.wait_line("muted by the operator")
        a.ping()
        check(a.received("chat") == [], "carol's line reached nobody")

        # The topic reaches a student's screen, and so does its clearing.
        t.run_line("/topic Lab 3: sockets")
        t.wait_text("the topic is now: Lab 3: sockets")
        carol.wait_line("topic: Lab 3: sockets")
        t.run_line("/topic")
        carol.wait_line("topic cleared")

        # Renamed by the operator, carol's client knows its new name: a
        # kick of that name is its own kick.
        t.run_line("/rename carol carla")
        t.wait_text("carol is now carla")
        carol.wait_line("carol is now carla")
        t.run_line("/kick carla")
        carol.wait_line("you were removed by the operator")

        # A ban: kicked now, refused at login in words.
        t.run_line("/ban dave")
        t.wait_text("dave is banned")
        dave = Plain(t.port, "dave")

        def said():
            with open(dave.errpath, errors="replace") as f:
                return "banned" in f.read()
        chattest.wait_until(said, 10.0, "dave's client to say he is banned")

        # Ctrl-Z: the shell gets its terminal back (it echoes); fg: back.
        t.keys("C-z")
        t.wait(lambda rows: any("Stopped" in r for r in rows),
               "the shell after Ctrl-Z")
        t.type("echo typed-at-the-shell")
        t.wait_text("echo typed-at-the-shell")
        t.keys("Enter")
        t.wait(lambda rows: any(r == "typed-at-the-shell" for r in rows),
               "the shell runs what is typed")
        t.type("fg")
        t.keys("Enter")
        t.wait_prompt("")
        t.run_line("/who")
        t.wait_text("2 in the room")



run(main)
