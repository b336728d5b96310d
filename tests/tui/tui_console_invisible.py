"""The server's console line editor draws a default-ignorable character
(U+200B here) as U+FFFD, as the client's input row and the chat view do,
before Enter: the prompt line shows what will be announced (the console
makes every line it reads safe with the same rule, so the announcement
carries the U+FFFD). Before, the prompt line showed "paypal" and the
students got "pay\ufffdpal"."""

import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from tuitest import ShellTui, chattest, check, log, run  # noqa

CONSOLE = "chat_server>"
R = "\ufffd"


def main():
    server = "%s -b 127.0.0.1 -p 0" % chattest.SERVER_BIN
    with ShellTui(0, "-", 100, 30, wrap=lambda cmd: server) as t:
        rows = t.wait(lambda rows: any("listening on" in r for r in rows)
                      and rows, "listening on")
        line = next(r for r in rows if "listening on" in r)
        port = int(re.search(r"listening on \S+ (\d+)", line).group(1))
        t.client_pids = lambda: []
        a = chattest.Client(port)
        a.login("alice")
        t.wait_text("join alice from 127.0.0.1:")

        t.type("pay\u200bpal")
        want = "%s pay%spal" % (CONSOLE, R)
        t.wait(lambda rows: any(r == want for r in rows) and
               t.cursor()[0] == len(want), "prompt line %r" % want)
        log("prompt line: %r" % want)
        check("\u200b" not in t.tmux("capture-pane", "-p"),
              "no raw U+200B on the screen")
        t.keys("Enter")
        m = a.expect("announce")
        check(m.get("text") == "pay%spal" % R,
              "announced as the prompt line showed it: %r" % m)
        t.keys("C-c")
        t.wait(lambda rows: "shell$" in rows, "the shell again")


run(main)
