"""Bracketed paste (the terminal marks a paste when the client asks
with ESC[?2004h; tmux paste-buffer -p does so): a paste is one edit.

- One line, even with its line end, goes into the input line and is not
  sent before Enter; a pasted /command waits there too.
- Several lines are not sent one by one: the input row asks
  "send N lines? (y/n)". n sends nothing; y sends them all, in order,
  each said as text: a /command among them is said, not run.
- The mode is switched off whenever the shell has the terminal (after
  Ctrl-Z, after the client ends), so the shell never gets the marks.

Before, every pasted line end was an Enter: a pasted block went out
line by line without asking, and a pasted "/quit" line quit."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from tuitest import (BUILD, PROMPT, Plain, Server, ShellTui, check,  # noqa
                     run, stopped_shell, wait_until)


class Output:
    """Everything the pane's programs write, raw (tmux pipe-pane)."""

    def __init__(self, t):
        self.path = os.path.join(BUILD, "test-logs", "%s.out" % t.sock)
        t.tmux("pipe-pane", "-O", "cat >>'%s'" % self.path)

    def mode(self):
        """The last bracketed paste switch written: "h" on, "l" off."""
        try:
            with open(self.path, "rb") as f:
                data = f.read()
        except OSError:
            return None
        at = max(data.rfind(b"\x1b[?2004h"), data.rfind(b"\x1b[?2004l"))
        return None if at < 0 else chr(data[at + 7])

    def close(self):
        if os.path.exists(self.path):
            os.unlink(self.path)


def main():
    srv = Server()
    bob = Plain(srv.port, "bob")
    # bash's own line editor switches the mode for its prompt: not here.
    with ShellTui(srv.port, "alice", wrap=lambda cmd:
                  "bind 'set enable-bracketed-paste off'; " + cmd) as t:
        t.ready("alice")
        out = Output(t)

        t.paste("/quit\n")
        t.wait_input("/quit")
        t.keys("C-u")
        t.wait_input("")

        t.type("typed: ")
        t.paste("one\n/quit\nthree\n")
        t.wait(lambda rows: rows[-1].endswith("send 3 lines? (y/n)"),
               "the question")
        t.type("n")
        t.wait(lambda rows: rows[-1].startswith("> typed: ") and
               rows[-1].endswith("paste not sent"), "nothing sent")
        t.keys("C-u")
        t.paste("first line\n/quit\n名字\t年龄")
        t.wait(lambda rows: rows[-1].endswith("send 3 lines? (y/n)"),
               "asked again")
        t.type("x")            # neither y nor n: still asking
        t.type("y")
        bob.wait_line(r"<alice> 名字 年龄$")
        got = [l.split("<alice> ", 1)[1] for l in bob.lines
               if "<alice> " in l]
        check(got == ["first line", "/quit", "名字 年龄"],
              "sent in order, the /quit said: %r" % got)
        check(not any("typed: one" in l or "three" in l for l in bob.lines),
              "the refused paste was not sent")
        t.wait_input("")

        # The shell never sees the mode.
        t.keys("C-z")
        t.wait(stopped_shell, "the shell's prompt")
        wait_until(lambda: out.mode() == "l", 5, "mode off after Ctrl-Z")
        t.type("fg")
        t.keys("Enter")
        t.wait_input("")
        wait_until(lambda: out.mode() == "h", 5, "mode on after fg")
        t.keys("C-d")
        t.wait(lambda rows: [r for r in rows if r][-1] == PROMPT,
               "the shell's prompt after quitting")
        wait_until(lambda: out.mode() == "l", 5, "mode off at the end")
        out.close()
        t.check_clean()
    bob.close()
    srv.stop()


run(main)
