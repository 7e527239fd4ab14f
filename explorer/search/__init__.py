"""Query text -> parsed query -> ranked, paged results (see results.py for the contract)."""
