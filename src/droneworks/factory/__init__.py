"""droneworks factory wing."""
