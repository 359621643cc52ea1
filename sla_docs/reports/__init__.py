"""What sla tells each team: ``sla targets`` (what it must deliver) and ``sla report`` (whether
it is delivering it, from the CRM's export)."""
