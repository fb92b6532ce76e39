"""Print the course's JupyterHub (nbgitpuller) links for your hub.

    python workshop/links.py --hub https://hub.your-university.edu

One link per lesson and exercise notebook, and the doctor command, from the
declared home in ``course.toml`` (:func:`gnlib.course.generated.hub_link_table`),
so a fork gets its own links; nothing here names the repository. The copy of
this table in ``workshop/README.md`` (for an example hub) and the course's
lines in ``values.yaml`` are generated sections: ``python -m gnlib.course.set_home``
rewrites them with every other link, and ``--check`` finds them stale.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gnlib.course.config import load_course  # noqa: E402
from gnlib.course.generated import hub_link_table  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hub", required=True, help="your hub's URL, e.g. https://hub.example.edu")
    args = parser.parse_args(argv)
    try:
        print(hub_link_table(load_course(), args.hub))
    except ValueError as err:
        parser.error(str(err))
    return 0


if __name__ == "__main__":
    sys.exit(main())
