"""droneworks watch wing."""
