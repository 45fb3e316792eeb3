"""The one base of every domain error; pages, API and CLI each map it to an answer in one place."""

from __future__ import annotations


class ApplicationError(Exception):
    """A domain error with a message a user can read (Vietnamese)."""

    status_code = 400

    def __init__(self, message: str, *, extra: dict[str, object] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


class PermissionDeniedError(ApplicationError):
    status_code = 403


class NotFoundError(ApplicationError):
    status_code = 404


class ConflictError(ApplicationError):
    """The record changed since it was read (optimistic locking) or would duplicate another."""

    status_code = 409
