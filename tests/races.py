"""Races on PostgreSQL, run against the services from threads.

The test server answers one request at a time, so a race is run against the service layer: each
call in its own thread with its own database connection, outside any test transaction, all
released at once by a barrier."""

import threading

from django.db import connections


def race(calls) -> list:
    """Run the calls at once; what each returned, or the exception it raised, in the order they ended."""
    barrier, answers = threading.Barrier(len(calls)), []

    def run(call):
        try:
            barrier.wait()
            answers.append(call())
        except Exception as refused:  # noqa: BLE001 - every outcome is looked at by the test
            answers.append(refused)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers
