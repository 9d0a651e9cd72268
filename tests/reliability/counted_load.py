"""`python -m graph …` that prints a line before each statement a load's transaction
runs ("statement 12 UNWIND $rows AS row MERGE (r:Record …"), so that a test can kill
the process, or the server, at a chosen batch of a real load. With COUNTED_LOAD_WAITS
set, it waits for a line on its standard input before it runs the statement (without
the wait the load ran ahead of the test that read its lines: killed "at" the third
statement from the end, it had committed). And two lines with the time
(time.monotonic(), the same clock in every process of the machine) around the commit:
"committing T" when the transaction's last statement has run, "committed T" when the
store has returned, the commit applied.

    python tests/reliability/counted_load.py load ftm FILE
"""

import os
import sys
import time

from graph import __main__ as cli
from graph import loading, store


def main() -> int:
    run, write, write_source = store.SourceWriter.run, store.SourceWriter.write, loading.write_source
    count = 0
    waits = bool(os.environ.get("COUNTED_LOAD_WAITS"))

    def counted(self, statement: str, **params):
        nonlocal count
        count += 1
        print(f"statement {count} {' '.join(statement.split())[:60]}", flush=True)
        if waits:
            sys.stdin.readline()
        return run(self, statement, **params)

    def written(self, *args, **kwargs):
        report = write(self, *args, **kwargs)
        print(f"committing {time.monotonic()}", flush=True)
        return report

    def committed(*args, **kwargs):
        report = write_source(*args, **kwargs)
        print(f"committed {time.monotonic()}", flush=True)
        return report

    store.SourceWriter.run, store.SourceWriter.write, loading.write_source = counted, written, committed
    return cli.main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
