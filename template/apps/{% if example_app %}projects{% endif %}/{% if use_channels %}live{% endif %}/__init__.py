"""Live task events: who may follow a project (access.py)."""
