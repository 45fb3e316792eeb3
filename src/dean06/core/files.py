"""Files stored together with a database change, removed again when that change rolls back.

File storage is not transactional: a service that saves a file and then fails (or whose caller's
transaction fails) would leave the file under files/ with no record pointing to it. A service
that stores files runs in `atomic_with_files` instead of `transaction.atomic` and registers each
file with `remove_on_rollback`; the outermost such block deletes them if it rolls back.
"""

from __future__ import annotations

import errno
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.core.files.storage import FileSystemStorage, Storage
from django.db import transaction

from dean06.core.exceptions import ApplicationError

logger = logging.getLogger(__name__)

_Pending = list[tuple[Storage, str]]
_pending: ContextVar[_Pending | None] = ContextVar("dean06_pending_files", default=None)


def remove_on_rollback(storage: Storage, name: str) -> None:
    """Delete the stored file `name` if the enclosing `atomic_with_files` block rolls back.

    Outside such a block nothing is registered: there is no transaction of ours to follow.
    """
    pending = _pending.get()
    if pending is not None and name:
        pending.append((storage, name))


@contextmanager
def atomic_with_files(using: str | None = None) -> Iterator[None]:
    """`transaction.atomic` that also deletes the files registered inside it when it rolls back
    (an exception, or `transaction.set_rollback(True)`). Nested blocks hand their files to the
    enclosing one, which may still roll back after they have finished."""
    enclosing = _pending.get()
    mine: _Pending = []
    token = _pending.set(mine)
    rolled_back = True
    try:
        with transaction.atomic(using=using):
            yield
            rolled_back = transaction.get_rollback(using=using)
    finally:
        _pending.reset(token)
        if rolled_back:
            _remove(mine)
        elif enclosing is not None:
            enclosing.extend(mine)


def _remove(files: _Pending) -> None:
    for storage, name in reversed(files):
        try:
            storage.delete(name)
        except OSError:
            # Never hide the error that caused the rollback behind a cleanup error.
            logger.warning("Không xóa được tệp %s sau khi hủy giao dịch.", name, exc_info=True)


# --- the file storage -----------------------------------------------------------------------------

_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


class StorageFullError(ApplicationError):
    """The disk (or the quota) of the data folder is full: the file was not stored."""

    status_code = 507


class CleanFileSystemStorage(FileSystemStorage):
    """Django's file storage, except that a file whose writing fails (a full disk, an I/O error)
    is removed instead of being left half-written under files/, and a full disk is a clear
    error for the person uploading, not a traceback."""

    def _save(self, name: str, content: Any) -> str:
        full_path = self.path(name)
        existed = os.path.lexists(full_path)
        try:
            return str(super()._save(name, content))  # type: ignore[misc]
        except OSError as exc:
            if not existed:
                try:
                    os.remove(full_path)
                except FileNotFoundError:
                    pass
                except OSError:
                    logger.warning("Không xóa được tệp ghi dở %s.", full_path, exc_info=True)
            if exc.errno in _FULL:
                logger.error("Hết chỗ lưu tệp trong %s: %s", self.location, exc)
                raise StorageFullError(
                    "Máy chủ đã hết chỗ lưu tệp: tệp chưa được lưu và không có gì được ghi dở. "
                    "Báo quản trị hệ thống giải phóng dung lượng rồi thử lại."
                ) from exc
            raise
