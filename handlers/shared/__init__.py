"""Workflows shared by more than one kind of listener (a command and its modal, say)."""
