#!/usr/bin/env python3
"""The loss soak with a server restart half way (SIGTERM, then a new
server on the same port): 4 real --plain clients behind lossy proxies
(20 % loss, 5 % duplication, reordering, each way, seeded: SOAK_SEED)
log in again by themselves, and every line typed after the new server
listens reaches everyone exactly once, in each sender's order. The log
says how many lines in flight at the restart were lost or shown twice.
See tests/lib/soaktest.py."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from chattest import run  # noqa: E402
from soaktest import soak  # noqa: E402

if __name__ == "__main__":
    run(lambda: soak(200, restart=True))
