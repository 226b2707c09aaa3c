"""Scheduled posts: next-run maths, the claim ledger, the jobs and the APScheduler wiring."""
