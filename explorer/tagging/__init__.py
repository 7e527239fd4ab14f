"""Writing the match into the files: a plan per file, a safe writer, a journal and undo."""
