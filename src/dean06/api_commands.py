"""`dean06 api-token create|revoke|list`: tokens of the REST API for other systems.

The token is printed once, when it is made; only its hash is kept. Registered in `cli.py` with
the other command modules (`REGISTRARS`).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from dean06.cli import EXIT_OK, EXIT_USAGE, CommandError, setup_django


def cmd_token_create(args: argparse.Namespace) -> int:
    setup_django(require_schema=True)
    from dean06.accounts.token_services import api_token_create, api_token_owner
    from dean06.core.exceptions import ApplicationError

    try:
        user = api_token_owner(args.user)
        new = api_token_create(user=user, name=args.name, scope=args.scope, by=None)
    except ApplicationError as exc:
        raise CommandError(exc.message, EXIT_USAGE) from exc
    print(
        f"Đã cấp khóa API «{new.token.name}» ({new.token.get_scope_display().lower()}), "
        f"thay mặt tài khoản {user.username}.\n"
        "Khóa chỉ hiện một lần này, hãy lưu lại ngay:\n"
        f"{new.secret}\n"
        "Dùng: Authorization: Bearer <khóa>"
    )
    return EXIT_OK


def cmd_token_revoke(args: argparse.Namespace) -> int:
    setup_django(require_schema=True)
    from dean06.accounts.token_services import api_token_revoke
    from dean06.core.exceptions import ApplicationError

    try:
        token = api_token_revoke(name=args.name, by=None)
    except ApplicationError as exc:
        raise CommandError(exc.message, EXIT_USAGE) from exc
    print(f"Đã thu hồi khóa API «{token.name}»: từ nay khóa này không dùng được nữa.")
    return EXIT_OK


def cmd_token_list(args: argparse.Namespace) -> int:
    setup_django(require_schema=True)
    from dean06.accounts.token_services import api_tokens_list

    tokens = api_tokens_list()
    if not tokens:
        print("Chưa có khóa API nào. Cấp khóa: dean06 api-token create --user U --name N")
        return EXIT_OK
    for token in tokens:
        state = f"thu hồi {token.revoked_at:%d/%m/%Y}" if token.revoked_at else "đang dùng"
        used = f"{token.last_used_at:%d/%m/%Y %H:%M}" if token.last_used_at else "chưa dùng"
        print(
            f"{token.name}\t{token.scope}\t{token.user.username}\t{token.prefix}\t"
            f"{state}\tdùng lần cuối: {used}"
        )
    return EXIT_OK


def _register(sub: Any) -> None:
    p = sub.add_parser(
        "api-token",
        help="cấp, thu hồi khóa API cho hệ thống khác",
        description=(
            "Khóa API cho một hệ thống kết nối: thay mặt một tài khoản (vai trò và đơn vị của "
            "tài khoản đó), chỉ đọc hoặc đọc và ghi. Chỉ lưu mã băm của khóa."
        ),
    )
    actions = p.add_subparsers(title="thao tác", metavar="THAO_TÁC", dest="token_action")
    actions.required = True
    create = actions.add_parser("create", help="cấp khóa mới (khóa chỉ in ra một lần)")
    create.add_argument("--user", required=True, help="tên đăng nhập của tài khoản sở hữu")
    create.add_argument("--name", required=True, help="tên hệ thống kết nối (duy nhất)")
    create.add_argument(
        "--scope", choices=["read", "write"], default="read", help="read (mặc định) hoặc write"
    )
    create.set_defaults(handler=cmd_token_create)
    revoke = actions.add_parser("revoke", help="thu hồi khóa đang dùng của một hệ thống")
    revoke.add_argument("--name", required=True, help="tên hệ thống kết nối")
    revoke.set_defaults(handler=cmd_token_revoke)
    listing = actions.add_parser("list", help="liệt kê các khóa (không in khóa)")
    listing.set_defaults(handler=cmd_token_list)


REGISTRARS: list[Callable[[Any], None]] = [_register]
