"""The list of names. F2 shows a column of the names online at the
right of the message window, sorted, after a bar, as wide as the
longest name; the messages are wrapped to the width left. It follows joins, leaves and renames.
/names hides it again (and shows it). Below 50 columns it stays hidden
and the messages get the whole width back. The plain client's /names
prints the list once."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from tuitest import Plain, Server, Tui, check, run  # noqa



def bar(names):
    """Where the bar is: the list takes a bar, a space and the longest
    name (at least 6 columns, for "+N more")."""
    return 80 - 2 - max(6, max(len(n) for n in names))


def column(rows, at):
    """The names in the column at, top down ("" once they end)."""
    return [r[at + 2:].strip() if len(r) > at and r[at] == "\u2502"
            else None for r in rows[1:-1]]


def has_list(rows, names):
    col = column(rows, bar(names))
    return col[:len(names)] == names and col[len(names)] == ""


def main():
    srv = Server()
    with Tui(srv.port, "alice") as t:
        t.ready("alice")
        bob = Plain(srv.port, "bob")
        carol = Plain(srv.port, "carol")
        t.wait_text("carol joined")
        t.keys("F2")
        t.wait(lambda rows: has_list(rows, ["alice", "bob", "carol"]),
               "the list of names")
        carol.say("a long line that must wrap before the list of names "
                  "starts, so no word is hidden under it")
        t.wait_text("no word is hidden")
        rows = t.screen()
        at = bar(["alice", "bob", "carol"])
        check(all(len(r) <= at or r[at] == "\u2502" for r in rows[1:-1]),
              "no message row reaches the list:\n" + t.dump())
        bob.close()
        t.wait(lambda rows: has_list(rows, ["alice", "carol"]), "bob left")
        carol.say("/nick carla")
        t.wait(lambda rows: has_list(rows, ["alice", "carla"]), "renamed")
        dave = Plain(srv.port, "dave")
        t.wait(lambda rows: has_list(rows, ["alice", "carla", "dave"]),
               "dave joined")
        longname = Plain(srv.port, "abcdefghijklmnop")
        t.wait(lambda rows: has_list(rows, ["abcdefghijklmnop", "alice",
                                            "carla", "dave"]),
               "a 16-letter name widens the list")
        longname.close()
        t.wait(lambda rows: has_list(rows, ["alice", "carla", "dave"]),
               "and it narrows again")

        t.type("/names")
        t.keys("Enter")
        t.wait(lambda rows: not any("\u2502" in r for r in rows),
               "/names hides the list")
        t.type("/names")
        t.keys("Enter")
        t.wait(lambda rows: has_list(rows, ["alice", "carla", "dave"]),
               "/names shows it again")
        t.tmux("resize-window", "-x", "40", "-y", "24")
        t.wait(lambda rows: t.size()[0] == 40 and
               not any("\u2502" in r for r in rows),
               "hidden on a narrow terminal")
        t.tmux("resize-window", "-x", "80", "-y", "24")
        t.wait(lambda rows: has_list(rows, ["alice", "carla", "dave"]),
               "back at 80 columns")

        dave.say("/names")
        line = dave.wait_line(r"-- users: ")
        check(sorted(line.split("-- users: ")[1].split(", ")) ==
              ["alice", "carla", "dave"], "the plain list: %r" % line)
        t.keys("C-c")
        t.wait_text("CLIENT-EXITED 0")
        t.check_clean()
        carol.close()
        dave.close()
    srv.stop()


run(main)
