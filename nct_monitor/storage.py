"""Where uploaded returns and published packs are stored: the media folder, and no half files.

Django's file storage writes a file chunk by chunk; when the disk fills (or anything else goes
wrong) part way, it leaves the part it wrote. `MediaStorage` removes that part, so a failed
save leaves the folder as it was, and says in `disk_full` words a page can show.
"""

from __future__ import annotations

import errno
import os
from typing import Any

from django.core.files.storage import FileSystemStorage

DISK_FULL = (errno.ENOSPC, errno.EDQUOT)


def disk_full(error: BaseException) -> bool:
    """Whether `error` says the disk (or the account's quota on it) is full."""
    return isinstance(error, OSError) and error.errno in DISK_FULL


class MediaStorage(FileSystemStorage):
    """The file system storage, removing what it had written of a file it failed to save."""

    def _save(self, name: str, content: Any) -> str:
        path = self.path(name)
        existed = os.path.lexists(path)
        try:
            return str(super()._save(name, content))  # type: ignore[misc]  # not in the stubs
        except OSError as error:
            # The name was free (the save creates the file exclusively), so what is there now
            # is this save's part-written file.
            if not isinstance(error, FileExistsError) and not existed and os.path.lexists(path):
                os.remove(path)
            raise
