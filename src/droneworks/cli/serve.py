"""`droneworks serve`: checks the address, then runs the dashboard with uvicorn."""

from __future__ import annotations

import ipaddress
import json
import secrets
import socket
from pathlib import Path

from droneworks.core.errors import ConfigError
from droneworks.core.outputs import check_out_folder

__all__ = ["is_loopback", "run_server"]


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def free_port(host: str, port: int) -> int:
    """``port`` if it is free on ``host`` (0: a free one, chosen now), so the address
    printed at start is the one served; a clear error when nothing can listen there."""
    probe: socket.socket | None = None
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        probe = socket.socket(family, kind, proto)
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        probe.bind(address)
        return int(probe.getsockname()[1])
    except OSError as error:  # also an unknown host name (socket.gaierror)
        reason = error.strerror or str(error)
        raise ConfigError(f"--host {host} --port {port}: cannot listen there ({reason})") from None
    finally:
        if probe is not None:
            probe.close()


def default_data_folder() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("droneworks", appauthor=False)) / "web"


def run_server(
    host: str,
    port: int,
    allow_remote: bool,
    token: str | None,
    data: Path | None,
    db: str | None,
    max_upload_mb: float,
    as_json: bool,
) -> None:
    if not is_loopback(host):
        if not allow_remote:
            raise ConfigError(
                f"--host {host} would open the dashboard to other machines: add "
                "--allow-remote (every request then needs the token printed at start)"
            )
        token = token or secrets.token_urlsafe(24)
    from droneworks.core.extras import require

    for module in ("fastapi", "jinja2", "multipart"):
        require(module, "web", "the web dashboard")
    uvicorn = require("uvicorn", "web", "the web dashboard")
    from droneworks.web import Settings, create_app

    folder = check_out_folder(data, "--data") if data is not None else default_data_folder()
    if db is not None:  # a wrong --db fails now, not as an empty runs page later
        from droneworks.core.store import RunStore

        RunStore(db).close()
    port = free_port(host, port)
    settings = Settings(folder, db, int(max_upload_mb * 1e6), token)
    app = create_app(settings)
    address = f"http://{host}:{port}/" + (f"?token={token}" if token else "")
    if as_json:
        print(json.dumps({"url": address, "data": str(folder), "db": db}))
    else:
        print(f"droneworks dashboard on {address} (jobs in {folder}); Ctrl-C stops it")
    uvicorn.run(app, host=host, port=port, log_level="warning")
