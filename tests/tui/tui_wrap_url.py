"""A URL longer than the message column is not indented when wrapped:
it starts on a row of its own at column 0 and, cut only at the right
edge, goes on at column 0, so selecting those rows in the terminal
gives the URL with no spaces inside. One that fits a full row is not
cut at all. Ordinary words still wrap under the text, after the time.
Before, the URL was cut at the text column's width and went on under
it after nine columns of blanks."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from tuitest import Plain, Server, Tui, check, run  # noqa

LONG = ("https://example.com/some/very/long/path/that/goes/on/"
        "and/on/index.html")
FITS = "https://example.org/fits/a/whole/row/x"     # 39 columns


def main():
    srv = Server()
    with Tui(srv.port, "alice", x=40, y=16) as t:
        t.ready("alice")
        bob = Plain(srv.port, "bob")
        t.wait_text("bob joined")
        bob.say("look %s here" % LONG)
        t.wait_text("index.html here")
        rows = t.screen()
        i = next(k for k, r in enumerate(rows) if r.startswith("https://"))
        check(rows[i - 1].endswith("<bob> look"), "the URL starts a row:\n"
              + t.dump())
        j = next(k for k, r in enumerate(rows) if r.endswith("index.html here"))
        joined = "".join(rows[i:j + 1])
        check(joined == LONG + " here", "the rows hold the URL with "
              "nothing between: %r\n%s" % (joined, t.dump()))
        check(all(len(r) == 40 for r in rows[i:j]), "cut at the edge only:\n"
              + t.dump())

        bob.say("and %s too, with more words after it" % FITS)
        t.wait_text("with more words")
        rows = t.screen()
        check(FITS in rows, "a URL that fits a row is not cut:\n" + t.dump())
        k = rows.index(FITS)
        check(rows[k + 1].startswith(" " * 9) and "too," in rows[k + 1],
              "ordinary words indent again:\n" + t.dump())
        t.quit()
        bob.close()
    srv.stop()


run(main)
