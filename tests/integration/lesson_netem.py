#!/usr/bin/env python3
"""The lesson's netem block (docs/lesson.md, section 5: a network
namespace whose loopback loses 30 % with tc netem), run alone by
lesson_commands.py's machinery. Skips (exit 77, saying why) where
namespaces are not permitted or the kernel has no sch_netem; every other
block of the lesson is lesson_commands's."""
import os
import runpy

os.environ["LESSON_PART"] = "netns"
runpy.run_path(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                            "lesson_commands.py"), run_name="__main__")
