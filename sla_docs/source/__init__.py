"""The agreement as written: its YAML read with every position kept, which files are
agreements, and what git remembers of them. Knows nothing of what an agreement means."""
