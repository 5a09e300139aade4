"""droneworks missions wing."""
