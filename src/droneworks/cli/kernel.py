"""Before a command simulates: load the simulation kernel, and say so first when it has to
be compiled (once per machine and engine version; `make test` and `make demo` do it during
set-up). Loading it here, in the parent, also keeps worker processes from compiling it
side by side."""

from __future__ import annotations

from droneworks.cli.output import err_console, progress_bar

__all__ = ["ready_kernel"]


def ready_kernel(show_progress: bool = True) -> float:
    """Compile or load the kernel now; the seconds it took (0 when already loaded)."""
    from droneworks.factory.engine import compile_seconds
    from droneworks.factory.engine.cache_guard import compile_notice, kernel_cached

    cold = not kernel_cached()
    if cold:
        err_console.print(f"{compile_notice()}; later runs load it from the cache", highlight=False)
    with progress_bar(show_progress) as progress:
        seconds = compile_seconds(progress)
    if cold:  # the replications' bottleneck helpers compile under the same notice
        from droneworks.factory.plan.bottleneck import warm_compiled_helpers

        warm_compiled_helpers()
    return seconds


if __name__ == "__main__":  # `make test` and `make demo` warm the cache during set-up
    seconds = ready_kernel()
    err_console.print(f"simulation kernel ready ({seconds:.1f} s)", highlight=False)
