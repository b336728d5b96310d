"""A pasted tab is text, not the Tab key: pasting a row of a table
("名字<TAB>年龄 bo<TAB>城市") sends the cells separated by spaces,
as COMMANDS in chat_client.1 says of a tab, instead of gluing them
together and completing "bo" to a name. A Tab typed on its own still
completes.

That tab-in-a-burst guess is for terminals that do not mark pastes. Once
the terminal has marked one (bracketed paste, tmux paste-buffer -p), a
Tab outside the marks is typed, even when the next key comes in the same
burst, as it can from a person on a busy machine: "hi bo", Tab and "!"
sent at once complete to "hi bob !" instead of "hi bo !"."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from tuitest import Plain, Server, Tui, run  # noqa


def main():
    srv = Server()
    with Tui(srv.port, "alice") as t:
        t.ready("alice")
        bob = Plain(srv.port, "bob")
        t.wait_text("bob joined")
        t.paste("名字\t年龄 bo\t城市", marked=False)
        t.wait_input("名字 年龄 bo 城市")
        t.keys("Enter")
        bob.wait_line(r"<alice> 名字 年龄 bo 城市$")
        # Typed by hand, Tab completes as before.
        t.type("hi bo")
        t.keys("Tab")
        t.wait_input("hi bob ")
        t.keys("C-u")
        t.wait_input("")
        # The terminal marks a paste: from now on it is trusted.
        t.paste("marked")
        t.wait_input("marked")
        t.keys("C-u")
        t.wait_input("")
        t.tmux("send-keys", "hi bo", "Tab", "!")
        t.wait_input("hi bob !")
        t.keys("C-u")
        t.wait_input("")
        t.keys("C-d")
        t.wait_text("CLIENT-EXITED 0")
        t.check_clean()
        bob.close()
    srv.stop()


run(main)
