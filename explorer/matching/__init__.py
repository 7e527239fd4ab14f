"""Link the user's files to catalog recordings: candidates, scoring, decisions, links."""
