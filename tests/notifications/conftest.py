"""A real SMTP server in the test process (aiosmtpd) and a small province to remind."""

from __future__ import annotations

import datetime as dt
import socket
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from dean06.accounts.roles import Role
from dean06.tracking.services import period_get_or_create
from tests.factories import AssignmentFactory, PlanFactory, TaskFactory, UnitFactory


@dataclass
class Received:
    """One message as the server received it: the envelope and the parsed message."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        # Django folds a long encoded subject onto the next line ("Subject:\n =?utf-8?..."):
        # the fold's space is not part of the subject mail programs show.
        return str(self.message["Subject"]).strip()

    @property
    def body(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        assert part is not None
        return str(part.get_content())


@dataclass
class Mailbox:
    """What the SMTP server received."""

    messages: list[Received] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), parsed))  # type: ignore[arg-type]
        return "250 Message accepted for delivery"

    def take(self) -> list[Received]:
        """The messages received so far, emptying the box."""
        out, self.messages = self.messages, []
        return out

    def to(self, address: str) -> list[Received]:
        return [m for m in self.messages if address in m.rcpt_tos]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class SmtpServer:
    mailbox: Mailbox
    port: int
    controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp(settings):
    """An SMTP server on 127.0.0.1 (a free port), and Django's SMTP backend pointed at it."""
    server = SmtpServer(Mailbox(), free_port())
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "dean06@congan.bacgiang.gov.vn"
    yield server
    server.stop()


JULY_DUE = dt.date(2024, 7, 15)


@pytest.fixture
def province(db, make_user, settings):
    """A plan reporting before the 15th; Sở A leads two tasks (an officer and a leader with
    e-mail), Sở B leads one and has no account; the secretariat has an e-mail. July 2024 is
    the only stored period."""
    settings.DEMO_TODAY = dt.date(2024, 7, 10)
    settings.REMIND_DAYS_BEFORE = 3
    settings.REMIND_REPEAT_DAYS = 3
    period = period_get_or_create("month", 2024, 7)
    plan = PlanFactory(number="18/KH-UBND", reporting_day=15, date=dt.date(2024, 1, 23))
    unit_a = UnitFactory(key="SO_A", name="Sở Thử nghiệm A")
    unit_b = UnitFactory(key="SO_B", name="Sở Chưa Có Tài Khoản")
    later = dt.date(2024, 12, 31)
    tasks = {
        "A.1": TaskFactory(
            plan=plan, code="A.1", content="Rà soát, cắt giảm thủ tục hành chính", order=1
        ),
        "A.2": TaskFactory(
            plan=plan, code="A.2", content="Làm sạch dữ liệu dân cư", due_date=later, order=2
        ),
        "B.1": TaskFactory(
            plan=plan, code="B.1", content="Tuyên truyền về Đề án 06", due_date=later, order=3
        ),
    }
    AssignmentFactory(task=tasks["A.1"], unit=unit_a)
    AssignmentFactory(task=tasks["A.2"], unit=unit_a)
    AssignmentFactory(task=tasks["B.1"], unit=unit_b)
    return {
        "period": period,
        "plan": plan,
        "tasks": tasks,
        "unit_a": unit_a,
        "unit_b": unit_b,
        "officer": make_user(
            Role.UNIT_OFFICER, unit=unit_a, email="canbo@so-a.gov.vn", first_name="Lan"
        ),
        "leader": make_user(
            Role.UNIT_LEADER, unit=unit_a, email="lanhdao@so-a.gov.vn", first_name="Hùng"
        ),
        "secretariat": make_user(Role.SECRETARIAT, email="thuongtruc@congan.gov.vn"),
    }
