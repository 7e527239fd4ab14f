"""`python -m explorer` is the `explorer` command."""

import sys


def run() -> int:
    """The command; Ctrl+C gets its one line and status 130 from the very start, while the
    command's modules load (`main` answers it from then on)."""
    try:
        from explorer.cli.main import main

        return main()
    except KeyboardInterrupt:
        sys.stderr.write("explorer: interrupted.\n")
        return 130


if __name__ == "__main__":  # worker processes (spawn) import this module too
    raise SystemExit(run())
