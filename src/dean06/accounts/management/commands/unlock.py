"""`dean06 manage unlock --username NAME | --address IP`: lift a sign-in lockout (audited)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dean06.accounts.services import login_unlock
from dean06.core.exceptions import ApplicationError


class Command(BaseCommand):
    help = "Mở khóa đăng nhập của một tài khoản hoặc một địa chỉ (ghi nhật ký)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="", help="tên đăng nhập")
        parser.add_argument("--address", default="", help="địa chỉ IP")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            cleared = login_unlock(
                username=options["username"], address=options["address"], by=None
            )
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Đã mở khóa ({cleared} bản ghi khóa được xóa).")
