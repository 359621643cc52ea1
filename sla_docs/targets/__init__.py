"""What each team must deliver: the targets computed from the quota and rates, the
working calendar they are counted in, a month's actuals, and the figures written into texts."""
