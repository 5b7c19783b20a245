"""`python -m tests.faults.worker_main -A config worker …`: the celery command, optionally with
the clock moved to FAULTS_FAKE_NOW (ISO 8601, ticking), for the fault test that crosses a
holiday and a weekend. Forked pool processes inherit the moved clock."""

import datetime as dt
import os
import sys

if __name__ == "__main__":
    fake_now = os.environ.get("FAULTS_FAKE_NOW")
    if fake_now:
        import time_machine

        time_machine.travel(dt.datetime.fromisoformat(fake_now), tick=True).start()
    from celery.bin.celery import main

    sys.argv[0] = "celery"
    sys.exit(main())
