"""Lines from a plain client appear in the full-screen client with time,
name and text; Chinese text wraps at 40 columns without splitting or
straddling a character; an own line is shown and delivered; private
lines are marked both ways and a rename shows as a system line."""

import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from tuitest import (Plain, Server, Tui, check, display_width, log,  # noqa
                     run)

CN = "你好，世界！这是一个很长的中文句子，用来测试自动换行是否正确处理宽字符。"


def main():
    srv = Server()
    with Tui(srv.port, "alice") as wide, Tui(srv.port, "carol", 40, 12) as narrow:
        wide.ready("alice")
        narrow.ready("carol")
        bob = Plain(srv.port, "bob")
        wide.wait_text("bob joined")
        narrow.wait_text("bob joined")
        bob.say("hello from bob")
        bob.say(CN)
        row = wide.wait_text("<bob> hello from bob")
        wide.wait_text("<bob> 你好，世界！")
        check(any(r[:9].count(":") == 2 and "<bob> hello" in r
                  for r in wide.screen()), "a time before the name")
        # 80 columns: "HH:MM:SS <bob> " + 35 ideographs fit on the first row.
        rows = wide.screen()
        first = next(i for i, r in enumerate(rows) if "<bob> 你好" in r)
        check(display_width(rows[first]) <= 80, "first row fits 80 columns")
        joined = rows[first].split("<bob> ", 1)[1] + rows[first + 1].strip()
        check(joined == CN, "Chinese text intact over two rows:\n" + wide.dump())
        log("80x24 screen:\n" + wide.dump())

        # 40 columns: the text wraps into 31-column rows after the time.
        narrow.wait_text("宽字符。")
        rows = narrow.screen()
        first = next(i for i, r in enumerate(rows) if "<bob> 你好" in r)
        body = [rows[first].split("<bob> ", 1)[1]]
        i = first + 1
        while "宽字符。" not in body[-1]:
            check(rows[i].startswith(" " * 9), "continuation rows indent "
                  "under the text:\n" + narrow.dump())
            body.append(rows[i].strip())
            i += 1
        for r in rows:
            check(display_width(r) <= 40, "row wider than 40: %r" % r)
        check("".join(body) == CN, "wrapped text reassembles to the "
              "original (no character lost or split):\n" + narrow.dump())
        check(len(body) >= 3, "40 columns need 3 rows or more")
        # CJK may break between any two ideographs: rows are full.
        for r in rows[first:first + len(body) - 1]:
            check(display_width(r) >= 39, "row not filled: %r\n%s" %
                  (r, narrow.dump()))
        log("40x12 screen:\n" + narrow.dump())

        # Own line: shown at once and delivered to bob.
        wide.type("你好 bob")
        wide.keys("Enter")
        wide.wait_text("<alice> 你好 bob")
        bob.wait_line(r"<alice> 你好 bob$")
        wide.wait_input("")
        # Acked (mark): no longer dimmed.
        dim = re.compile(r"\x1b\[(?:[0-9;]*;)?2m(?:\x1b\[[0-9;]*m)*> 你好 bob")

        def acked(rows):
            lines = wide.tmux("capture-pane", "-p", "-e").split("\n")
            own = [l for l in lines if "> 你好 bob" in l]
            return own and not dim.search(own[0])
        wide.wait(acked, "the own line undimmed once acked")

        # Private lines both ways are marked; a rename is a system line.
        bob.say("/msg alice 悄悄话")
        wide.wait_text("[private] *bob* 悄悄话")
        check(not any("悄悄话" in r for r in narrow.screen()),
              "a private line reaches its addressee only")
        wide.type("/msg bob 收到")
        wide.keys("Enter")
        wide.wait_text("[private] -> *bob* 收到")
        bob.wait_line(r"\*alice\* 收到$")
        bob.say("/nick 小明")
        wide.wait_text("-- bob is now 小明")
        narrow.wait_text("-- bob is now 小明")
        check(" 3 online" in wide.screen()[0], "still 3 online:\n" +
              wide.dump())
        wide.keys("C-d")
        wide.wait_text("CLIENT-EXITED 0")
        narrow.keys("C-c")
        narrow.wait_text("CLIENT-EXITED 0")
        wide.check_clean()
        narrow.check_clean()
        bob.close()
    srv.stop()


run(main)
