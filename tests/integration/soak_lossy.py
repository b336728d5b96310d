#!/usr/bin/env python3
"""The contract's loss target, as a soak: 4 real --plain clients, each
behind its own lossy proxy (20 % loss, 5 % duplication, reordering, each
way, seeded: SOAK_SEED), 400 lines each paced under the rate limit.
Every client shows every other client's lines exactly once and in each
sender's typing order, no session expires, all within 90 s. See
tests/lib/soaktest.py."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from chattest import run  # noqa: E402
from soaktest import soak  # noqa: E402

if __name__ == "__main__":
    run(lambda: soak(400))
