"""``sla diff``: what changed in an agreement between two git revisions, as a change list
and as a redline."""
