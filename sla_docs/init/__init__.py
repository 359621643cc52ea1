"""``sla init``: a new, commented agreement that validates, ready to edit."""
