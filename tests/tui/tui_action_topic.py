"""The full-screen client shows what protocol 2 adds (from a scripted
server, tests/lib/fakeserver.py): the welcome's topic and a topic
message as "-- topic: ...", an action as "* bob waves" and its own /me
as "* alice waves back", a leave with the quitter's words as
"-- bob left (quit: see you)", and Tab offers /me beside /msg."""

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
            t.wait_text("-- topic: exam on friday")
            fs.send({"type": "chat", "seq": fs.next_seq(), "ts": fs.ts(),
                     "mid": 1, "from": "bob", "text": "waves",
                     "action": True})
            t.wait_text("* bob waves")
            check("<bob>" not in "\n".join(t.screen()),
                  "an action is not a <bob> line")
            t.type("/m")
            t.keys("Tab")
            t.wait_text("3 matches")    # /me, /mouse and /msg
            t.keys("Tab")
            t.wait_input("/me ")
            t.type("waves back")
            t.keys("Enter")
            t.wait_text("* alice waves back")
            sent = fs.sent("chat", text="waves back")
            check(sent and sent[0].get("action") is True,
                  "/me sent as an action: %r" % sent)
            fs.send({"type": "topic", "seq": fs.next_seq(), "ts": fs.ts(),
                     "text": "lab closed"})
            t.wait_text("-- topic: lab closed")
            fs.send({"type": "leave", "seq": fs.next_seq(), "ts": fs.ts(),
                     "name": "bob", "reason": "quit", "text": "see you"})
            t.wait_text("-- bob left (quit: see you)")
            t.keys("C-c")
            t.wait_text("CLIENT-EXITED", 15)
            t.check_clean()
    finally:
        fs.stop()


run(main)
