"""The import tasks, under the path they were first queued by.

A queued task is stored by its dotted path, so runs queued as `nct_monitor.tasks.check_import_run`
or `nct_monitor.tasks.apply_import_run` before the tasks moved to `nct_monitor.importing.tasks`
find them here.
"""

from __future__ import annotations

from nct_monitor.importing.tasks import apply_import_run, check_import_run

__all__ = ["apply_import_run", "check_import_run"]
