"""`python -m explorer` is the `explorer` command."""

from explorer.cli.main import main

if __name__ == "__main__":  # worker processes (spawn) import this module too
    raise SystemExit(main())
