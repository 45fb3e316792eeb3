"""How a notice reaches people: one `Channel` per way (e-mail and the site's inbox today).

A channel takes a notice with its recipients and says what it did (`Delivery`); it never decides
who is reminded of what (`rules`) nor what the notice says (`texts`). Adding Zalo or SMS is a new
class registered with `@register_channel` — nothing else changes. `settings.NOTIFICATION_CHANNELS`
(optional: a list of names) chooses among the registered ones; by default all are used.
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import DatabaseError

log = logging.getLogger(__name__)

SENT = "sent"
FAILED = "failed"
SKIPPED = "skipped"
DEFAULT_SMTP_TIMEOUT = 30


@dataclass(frozen=True)
class Recipient:
    """A person (or a unit's own mailbox, with no account) a notice is for."""

    user_id: int | None
    username: str = ""
    email: str = ""
    name: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Outgoing:
    """A notice as channels see it. `notification_id` is the log entry (None in a dry run)."""

    notification_id: int | None
    kind: str
    subject: str
    body: str
    recipients: tuple[Recipient, ...] = ()


@dataclass(frozen=True)
class Delivery:
    """What one channel did with one notice."""

    channel: str
    status: str
    recipients: tuple[str, ...] = ()
    error: str = ""
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "channel": self.channel,
            "status": self.status,
            "recipients": list(self.recipients),
            "error": self.error,
            "note": self.note,
        }


class Channel(ABC):
    """One way of reaching people. An instance lives for one round (it may keep a connection
    open between notices: `close` ends it)."""

    name: ClassVar[str]
    label: ClassVar[str]
    # Whether it reaches people outside the site (e-mail, Zalo, SMS): a unit that no such
    # channel can reach is reported to the secretariat.
    reaches_outside: ClassVar[bool] = True

    @abstractmethod
    def addresses(self, notice: Outgoing) -> list[str]:
        """Who this channel would deliver `notice` to (addresses, numbers or user names)."""

    @abstractmethod
    def send(self, notice: Outgoing) -> Delivery:
        """Deliver `notice`; failures are returned as a `Delivery` with status failed, not
        raised."""

    def close(self) -> None:  # noqa: B027 (most channels hold nothing open)
        """End what the channel holds open for the round."""


_REGISTRY: dict[str, type[Channel]] = {}


def register_channel(cls: type[Channel]) -> type[Channel]:
    """Class decorator: make a channel available to every round."""
    _REGISTRY[cls.name] = cls
    return cls


def channel_classes() -> list[type[Channel]]:
    """The registered channels in use (`settings.NOTIFICATION_CHANNELS` may pick some)."""
    chosen: Sequence[str] | None = getattr(settings, "NOTIFICATION_CHANNELS", None)
    if chosen is None:
        return list(_REGISTRY.values())
    return [_REGISTRY[name] for name in chosen if name in _REGISTRY]


def open_channels() -> list[Channel]:
    return [cls() for cls in channel_classes()]


def channel_label(name: str) -> str:
    cls = _REGISTRY.get(name)
    return cls.label if cls is not None else "Kênh khác"


def _unique(values: Sequence[str]) -> list[str]:
    out: list[str] = []
    for value in values:
        if value and value.lower() not in {v.lower() for v in out}:
            out.append(value)
    return out


def _unique_ids(values: Iterable[int | None]) -> list[int]:
    out: list[int] = []
    for value in values:
        if value is not None and value not in out:
            out.append(value)
    return out


# Errors of one message (a refused recipient or sender, refused content): the next message may
# still go. Anything else (no server, refused login, dropped connection) ends e-mail for the round.
_MESSAGE_ERRORS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)


# What went wrong, in words for the log's readers (the technical detail kept in brackets).
_ERROR_WORDS: tuple[tuple[type[BaseException], str], ...] = (
    (smtplib.SMTPRecipientsRefused, "Máy chủ thư từ chối địa chỉ nhận"),
    (smtplib.SMTPSenderRefused, "Máy chủ thư từ chối địa chỉ gửi"),
    (smtplib.SMTPDataError, "Máy chủ thư từ chối nội dung thư"),
    (smtplib.SMTPAuthenticationError, "Máy chủ thư từ chối đăng nhập"),
    (smtplib.SMTPServerDisconnected, "Máy chủ thư ngắt kết nối"),
    (smtplib.SMTPException, "Máy chủ thư báo lỗi"),
    (TimeoutError, "Máy chủ thư không trả lời"),
    (OSError, "Không kết nối được máy chủ thư"),
    (DatabaseError, "Không ghi được vào cơ sở dữ liệu"),
)


def describe_error(exc: BaseException) -> str:
    words = next((w for kind, w in _ERROR_WORDS if isinstance(exc, kind)), "Lỗi khi gửi")
    detail = str(exc).strip() or type(exc).__name__
    return f"{words} ({detail})"[:500]


@register_channel
class EmailChannel(Channel):
    """E-mail through Django's e-mail backend (SMTP from the environment: DEAN06_SMTP_*). One
    message per notice, to every address of the notice; one connection per round."""

    name = "email"
    label = "Thư điện tử"

    def __init__(self) -> None:
        self._connection: Any = None
        self._broken = ""

    def addresses(self, notice: Outgoing) -> list[str]:
        return _unique([r.email.strip() for r in notice.recipients if r.email.strip()])

    def _open(self) -> Any:
        if self._connection is None:
            timeout = getattr(settings, "EMAIL_TIMEOUT", None) or DEFAULT_SMTP_TIMEOUT
            connection = get_connection(fail_silently=False, timeout=timeout)
            connection.open()
            self._connection = connection
        return self._connection

    def send(self, notice: Outgoing) -> Delivery:
        to = self.addresses(notice)
        if not to:
            return Delivery(self.name, SKIPPED, note="Không có địa chỉ thư điện tử.")
        if self._broken:
            return Delivery(self.name, FAILED, tuple(to), error=self._broken)
        message = EmailMessage(
            subject=notice.subject,
            body=notice.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=to,
            headers={"Auto-Submitted": "auto-generated"},
        )
        try:
            connection = self._open()
            message.connection = connection
            message.send()
        except _MESSAGE_ERRORS as exc:
            return Delivery(self.name, FAILED, tuple(to), error=describe_error(exc))
        except (smtplib.SMTPException, OSError) as exc:
            self._broken = describe_error(exc)
            log.warning("e-mail unavailable for this round: %s", self._broken)
            self.close()
            return Delivery(self.name, FAILED, tuple(to), error=self._broken)
        return Delivery(self.name, SENT, tuple(to))

    def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                connection.close()


@register_channel
class InAppChannel(Channel):
    """The inbox on the site (`/thong-bao/`): one entry per person with an account."""

    name = "in_app"
    label = "Trên hệ thống"
    reaches_outside = False

    def addresses(self, notice: Outgoing) -> list[str]:
        return _unique([r.username for r in notice.recipients if r.user_id is not None])

    def send(self, notice: Outgoing) -> Delivery:
        from dean06.notifications.models import InboxItem

        user_ids = _unique_ids(r.user_id for r in notice.recipients)
        if not user_ids:
            return Delivery(self.name, SKIPPED, note="Không có tài khoản nhận.")
        if notice.notification_id is None:
            raise ValueError("an in-app notice needs its log entry")
        try:
            InboxItem.objects.bulk_create(
                [
                    InboxItem(notification_id=notice.notification_id, user_id=user_id)
                    for user_id in user_ids
                ],
                ignore_conflicts=True,
            )
        except DatabaseError as exc:
            return Delivery(
                self.name, FAILED, tuple(self.addresses(notice)), error=describe_error(exc)
            )
        return Delivery(self.name, SENT, tuple(self.addresses(notice)))
