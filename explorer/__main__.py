"""`python -m explorer` is the `explorer` command."""

from explorer.cli.main import main

raise SystemExit(main())
