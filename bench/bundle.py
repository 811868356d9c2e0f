"""How long a big laptop's first bundle file takes to export and import, and its size.

Builds a laptop database of 500 workshops, 15,000 attendances and 30,000 submitted reflections
(six answers each; the data bench/soak_bundle.py builds), exports everything the office lacks
to an encrypted bundle file, imports it into an empty organisation database (SQLite; the
PostgreSQL database given with --org URL; or a throwaway one with --postgres), imports it a
second time (nothing changes), and prints the figures. There is no target of its own; sync's
are < 20 s for the first sync and < 300 MB of memory for the same data.

    .venv/bin/python bench/bundle.py [--workshops 500] [--postgres | --org URL]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from soak_bundle import build

from amie_desktop.services import bundle
from amie_desktop.store import open_store

PASSPHRASE = "bench passphrase, not a secret"


def peak_mb() -> float:
    status = Path("/proc/self/status").read_text()
    line = next(line for line in status.splitlines() if line.startswith("VmHWM"))
    return int(line.split()[1]) / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workshops", type=int, default=500)
    parser.add_argument("--org", help="an empty organisation database (default: SQLite)")
    parser.add_argument(
        "--postgres", action="store_true", help="start a throwaway PostgreSQL for the office"
    )
    args = parser.parse_args()
    with ExitStack() as stack:
        root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="amie-bench-")))
        url = args.org
        if args.postgres and url is None:
            from tests.postgres import Cluster

            cluster = Cluster()
            cluster.start()
            stack.callback(cluster.stop)
            _, url = cluster.new_database()
        laptop = open_store(root / "laptop")
        org = open_store(root / "org", url)
        try:
            build(laptop, args.workshops, random.Random(2026))
            built_mb = peak_mb()
            path = root / f"laptop{bundle.SUFFIX}"
            began = time.perf_counter()
            exported = bundle.export_bundle(laptop, path, PASSPHRASE)
            export_s = time.perf_counter() - began
            size_mb = path.stat().st_size / 1_000_000
            began = time.perf_counter()
            first = bundle.import_bundle(org, path, PASSPHRASE)
            import_s = time.perf_counter() - began
            began = time.perf_counter()
            again = bundle.import_bundle(org, path, PASSPHRASE)
            again_s = time.perf_counter() - began
        finally:
            org.close()
            laptop.close()
    assert first.applied.written > 0 and again.nothing_changed, (first, again)
    print(f"{exported.changes:,} changes from {args.workshops} workshops; file {size_mb:.1f} MB")
    print(f"{'export (read, encode, compress, encrypt, write)':<50} {export_s:8.2f} s")
    print(f"{'first import into an empty database':<50} {import_s:8.2f} s")
    print(f"{'the same file again (nothing changes)':<50} {again_s:8.2f} s")
    print(f"{'peak memory (this process; building alone)':<50} {peak_mb():8.0f} MB "
          f"({built_mb:.0f} MB)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
