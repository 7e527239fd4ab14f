"""The command line: one small module per subcommand; the only place that prints."""
