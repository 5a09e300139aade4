"""droneworks: a drone plant's digital twin, missions for its drones, border monitoring."""

__version__ = "0.1.0"

__all__ = ["__version__"]
