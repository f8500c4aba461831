"""Live commands (diff, audit, backup, push): placeholder until they land."""
