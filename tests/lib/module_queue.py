"""Runs the test modules of one pytest session from a queue that several
pytest processes share, so `make test` can run the QEMU tests in parallel
without splitting a module (its guest is module-scoped) or keeping a list of
files by hand.

Each process collects every test, then repeatedly claims the next unclaimed
module by creating `<queue>/<module>.claim` with O_EXCL (the file system is
the lock) and runs that module's items in their usual order. Modules are
claimed longest first, by the seconds each took in the last recorded run
(`tests/qemu/module_seconds.txt`, refreshed from `<queue>/*.seconds` with
`make test-timings`); a module not in that record counts as longest, so a
new file never ends up last. Longest-first keeps the processes finishing
close together (the classic LPT schedule).

The queue directory must start empty (make test clears it): a claim left by
an earlier run is taken for another process's, and that module is skipped
without a word. Under -x a process stops at its first failure, and the
module it had already claimed as its next is then run by no one.
"""
import os
import pathlib
import time

QUEUE_OPTION = "--module-queue"


def add_option(parser):
    parser.addoption(QUEUE_OPTION, metavar="DIR", default=None,
                     help="share the test modules with other pytest processes given the same DIR")


def _module_key(item):
    return item.nodeid.split("::", 1)[0]


def read_module_seconds(path):
    """{module path: seconds} from lines `<seconds> <module path>`."""
    seconds = {}
    if path.exists():
        for line in path.read_text().splitlines():
            fields = line.split()
            if len(fields) == 2 and not line.startswith("#"):
                seconds[fields[1]] = float(fields[0])
    return seconds


def _modules_longest_first(items, seconds):
    modules = {}
    for item in items:
        modules.setdefault(_module_key(item), []).append(item)
    unknown = float("inf")
    order = sorted(modules, key=lambda key: (-seconds.get(key, unknown), key))
    return [(key, modules[key]) for key in order]


def _claim(queue, module):
    name = module.replace("/", "__") + ".claim"
    try:
        os.close(os.open(queue / name, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
    except FileExistsError:
        return False
    return True


def run_claimed_modules(session, queue, seconds_record):
    """pytest_runtestloop's body when QUEUE_OPTION is given."""
    queue = pathlib.Path(queue)
    queue.mkdir(parents=True, exist_ok=True)
    pending = _modules_longest_first(session.items, read_module_seconds(seconds_record))

    def next_claimed():
        while pending:
            key, items = pending.pop(0)
            if _claim(queue, key):
                return key, items
        return None

    current = next_claimed()
    while current is not None:
        key, items = current
        started = time.monotonic()
        for index, item in enumerate(items):
            last = index + 1 == len(items)
            if last:
                # The next module must be known before the last item runs, so
                # that pytest tears this module's fixtures down after it.
                following = next_claimed()
                nextitem = following[1][0] if following else None
            else:
                nextitem = items[index + 1]
            item.config.hook.pytest_runtest_protocol(item=item, nextitem=nextitem)
            if session.shouldfail:
                raise session.Failed(session.shouldfail)
            if session.shouldstop:
                raise session.Interrupted(session.shouldstop)
        elapsed = time.monotonic() - started
        (queue / (key.replace("/", "__") + ".seconds")).write_text(f"{elapsed:.1f} {key}\n")
        current = following
    return True
