"""The web dashboard (`droneworks serve`): runs, new studies, live jobs, results, compare.

Needs the web extra: ``pip install "droneworks[web]"`` (FastAPI, Jinja2, uvicorn).
"""

from droneworks.web.app import Settings, create_app

__all__ = ["Settings", "create_app"]
