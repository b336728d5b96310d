"""The topic in the status bar, and /away. The welcome's topic and each
topic message show in the status bar after the important fields, cut to
fit on a narrow terminal (the state and our name stay); /topic repeats
it as a line. /away TEXT marks "[away]" in the status bar and sends
nothing (protocol 2 has no away: nobody is told, nothing answers for
us); private messages and mentions that come meanwhile are counted,
and /back says how many. A scripted server (tests/lib/fakeserver.py)
sends the topic and records what the client sends."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from fakeserver import FakeServer  # noqa: E402
from tuitest import Tui, check, run  # noqa: E402


def main():
    fs = FakeServer(topic="exam on friday")
    try:
        with Tui(fs.port, "alice") as t:
            t.ready("alice")
            t.wait(lambda rows: "exam on friday" in rows[0],
                   "the welcome's topic in the status bar")
            t.type("/topic")
            t.keys("Enter")
            t.wait(lambda rows: sum("-- topic: exam on friday" in r
                                    for r in rows) == 2, "/topic's line")
            fs.send({"type": "topic", "seq": fs.next_seq(), "ts": fs.ts(),
                     "text": "lab closed, use room 4 " + "x" * 60})
            t.wait(lambda rows: "lab closed" in rows[0] and
                   "exam" not in rows[0], "a new topic in the status bar")
            bar = t.screen()[0]
            check(bar.startswith(" connected  #lobby  alice") and
                  len(bar) <= 80, "the topic is cut, the rest kept: %r" % bar)

            t.type("/away lunch")
            t.keys("Enter")
            t.wait(lambda rows: "[away]" in rows[0], "[away] in the bar")
            t.wait_text("you are marked away: lunch")
            fs.send({"type": "msg", "seq": fs.next_seq(), "ts": fs.ts(),
                     "from": "bob", "to": "alice", "text": "lunch?"})
            fs.send({"type": "chat", "seq": fs.next_seq(), "ts": fs.ts(),
                     "mid": 1, "from": "carol", "text": "alice: ping"})
            fs.send({"type": "chat", "seq": fs.next_seq(), "ts": fs.ts(),
                     "mid": 2, "from": "carol", "text": "not for her"})
            t.wait_text("<carol> not for her")
            t.type("/back")
            t.keys("Enter")
            t.wait_text("back; while away: 1 private message, 1 mention")
            t.wait(lambda rows: "[away]" not in rows[0], "[away] gone")
            check(not fs.sent("chat") and not fs.sent("msg"),
                  "nothing was sent for us: %r" % fs.everything())
            t.keys("C-c")
            t.wait_text("CLIENT-EXITED", 15)
            t.check_clean()
    finally:
        fs.stop()


run(main)
