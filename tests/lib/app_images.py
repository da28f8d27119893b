"""Images of other apps or sites than the default build's, for the app
tests: built on demand with make into $KEEL_BUILD/variants/<name>/ (make is
a no-op when the image is up to date), so that `make test` needs nothing
more than `make images`. KEEL_SKIP_VARIANT_BUILD=1 uses the images found
there as they are (for developing against a tree that does not build).
"""
import fcntl
import os
import pathlib
import subprocess

import pytest

from qemu_boot import BUILD, ROOT


def variant_image(name, *make_arguments, timeout=900):
    """Path of keel.elf built with `make BUILD=<...>/variants/name ARGS`."""
    build = BUILD / "variants" / name
    image = build / "keel.elf"
    if os.environ.get("KEEL_SKIP_VARIANT_BUILD") == "1":
        if not image.exists():
            pytest.fail(f"{image} is missing (KEEL_SKIP_VARIANT_BUILD=1)")
        return image
    jobs = str(os.cpu_count() or 1)
    # Under `make test`, the outer make's jobserver is not ours to use.
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    build.mkdir(parents=True, exist_ok=True)
    # Test files running in parallel (pytest -n) may want the same variant:
    # one builds it, the other waits and finds it up to date.
    with open(build.parent / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        result = subprocess.run(["make", "-j", jobs, f"BUILD={build}", *make_arguments], cwd=ROOT, env=env,
                                capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        pytest.fail(f"building the {name} image failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
    return image


def variant_dir(name):
    path = BUILD / "variants" / name
    path.mkdir(parents=True, exist_ok=True)
    return pathlib.Path(path)
