"""The user's files: walk folders, read tags (mutagen), keep what was found in the user store."""
