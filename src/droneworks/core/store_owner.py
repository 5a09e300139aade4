"""Which process runs a stored run: ``host:pid:start:nonce`` tokens and whether their owner lives.

A run's owner is the process that created or resumed it. A resume is refused while the
owner is alive; a run left ``running`` by a killed process (owner gone on this host) can be
resumed. On another host the owner cannot be checked, so it is assumed alive.
"""

from __future__ import annotations

import os
import secrets
import socket
import sys

__all__ = ["busy_message", "owner_alive", "process_token"]


def process_token() -> str:
    """A new owner in this process: ``host:pid:start:nonce`` (start time tells a reused pid
    apart; the nonce two stores of one process)."""
    return f"{socket.gethostname()}:{os.getpid()}:{_start_time(os.getpid())}:{secrets.token_hex(4)}"


def _start_time(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return "0"


def owner_alive(owner: str | None) -> bool:
    """Whether the process named by ``owner`` may still be running the run."""
    if not owner:
        return False
    host, _, rest = owner.partition(":")
    pid_text, _, start = rest.partition(":")
    start = start.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return True  # another machine: cannot tell, so assume it runs
    pid = int(pid_text)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return not sys.platform.startswith("linux") or _start_time(pid) == start


def busy_message(run_id: int, owner: str | None) -> str:
    who = ""
    if owner:
        host, _, rest = owner.partition(":")
        who = f" (process {rest.partition(':')[0]} on {host})"
    return (
        f"run {run_id} is being run by another process{who}; "
        "wait for it to finish or stop it, then resume"
    )
