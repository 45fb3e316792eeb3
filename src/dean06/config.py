"""Configuration read from the environment, with safe defaults (no Django import here).

The CLI checks these before Django starts so that a bad value gives one clear line, not a traceback.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit


class ConfigError(Exception):
    """A configuration value that cannot be used (Vietnamese message for the user)."""


TRUE_WORDS = {"1", "true", "yes", "on"}


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in TRUE_WORDS


def data_dir(*, create: bool = True) -> Path:
    """The data directory (`DEAN06_DATA_DIR`, default `./var`), created on first use."""
    path = Path(os.environ.get("DEAN06_DATA_DIR") or "var").expanduser().resolve()
    if create:
        try:
            # Only the user running dean06 may enter it: it holds the database, the uploaded
            # files and the secret key. A directory that already exists keeps its mode.
            path.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(
                f"Không tạo được thư mục dữ liệu {path}: {exc.strerror} "
                "(cannot create the data directory)"
            ) from exc
    return path


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    """A whole number from the environment; a bad one is a ConfigError, not a traceback."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        number = minimum - 1
    if number < minimum:
        raise ConfigError(
            f"{name} phải là số nguyên từ {minimum} trở lên (đang là {value!r}). "
            f"({name} must be a whole number >= {minimum})"
        )
    return number


def private_file(path: Path) -> None:
    """Create `path` empty and readable by its owner only, if it does not exist yet.

    For the SQLite files: SQLite creates a database with the default mode (often 644) and gives
    its journal files the database's mode, so creating the file first keeps them all private.
    An empty file is a valid empty database. Anything odd (no such directory, no right to write)
    is left for the database to report.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError:
        return
    os.close(fd)


def ensure_writable(path: Path) -> None:
    probe = path / ".write-test"
    try:
        probe.write_text("ok", encoding="utf-8")
        probe.unlink()
    except OSError as exc:
        raise ConfigError(
            f"Thư mục dữ liệu {path} không ghi được: {exc.strerror} "
            "(the data directory is not writable; set DEAN06_DATA_DIR)"
        ) from exc


def secret_key(directory: Path) -> str:
    """`DEAN06_SECRET_KEY`, or a key generated once and kept in the data directory."""
    from_env = os.environ.get("DEAN06_SECRET_KEY")
    if from_env:
        return from_env
    key_file = directory / "secret_key"
    try:
        if key_file.exists():
            return key_file.read_text(encoding="utf-8").strip()
        key = secrets.token_urlsafe(50)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(key)
        return key
    except OSError as exc:
        raise ConfigError(
            f"Không đọc/ghi được khóa bí mật {key_file}: {exc.strerror} "
            "(cannot read or write the secret key; set DEAN06_SECRET_KEY or DEAN06_DATA_DIR)"
        ) from exc


def database_url(directory: Path) -> str:
    return os.environ.get("DATABASE_URL") or f"sqlite:///{directory / 'dean06.sqlite3'}"


WORKER_MODES = ("inline", "embedded", "external")


def worker_mode(default: str = "inline") -> str:
    """Who runs background jobs (`DEAN06_WORKER`): inline, embedded or external. Anything else
    is refused: a mistyped value silently meaning "inline" would make a server read 20-second
    scans inside the request."""
    value = (os.environ.get("DEAN06_WORKER") or default).strip().lower()
    if value not in WORKER_MODES:
        raise ConfigError(
            f"DEAN06_WORKER={value!r} không hợp lệ: dùng một trong {', '.join(WORKER_MODES)} "
            "(embedded: luồng trong máy chủ web; external: tiến trình `dean06 manage run_huey` "
            "riêng; inline: chạy ngay). (invalid DEAN06_WORKER)"
        )
    return value


def demo_today() -> dt.date | None:
    """`DEAN06_DEMO_TODAY` (YYYY-MM-DD): the fixed day of the demo and the tests, or None."""
    value = os.environ.get("DEAN06_DEMO_TODAY", "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ConfigError(
            f"DEAN06_DEMO_TODAY={value!r} không phải ngày dạng YYYY-MM-DD. "
            "(DEAN06_DEMO_TODAY must be a date)"
        ) from exc


def log_format() -> str:
    """`DEAN06_LOG_FORMAT`: "text" (default) or "json" (one object a line, for a log collector)."""
    value = (os.environ.get("DEAN06_LOG_FORMAT") or "text").strip().lower()
    if value not in ("text", "json"):
        raise ConfigError(
            f"DEAN06_LOG_FORMAT={value!r} không hợp lệ: dùng text hoặc json. "
            "(invalid DEAN06_LOG_FORMAT)"
        )
    return value


# --- single sign-on through OpenID Connect (dean06.accounts.oidc, docs/deploy.md) -------------

OIDC_SIGN_ALGOS = ("RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "HS256", "HS384", "HS512")
OIDC_MATCHES = {"email": "email", "username": "preferred_username"}
_LOOPBACK = ("127.0.0.1", "localhost", "::1")  # as urlsplit gives the host: no brackets


@dataclass(frozen=True)
class OIDCProvider:
    """The OpenID provider dean06 signs people in with. An endpoint left empty is read from the
    issuer's discovery document when first needed (not at start: a provider that is down must
    not stop password sign-in)."""

    client_id: str
    client_secret: str
    issuer: str = ""
    authorization_endpoint: str = ""
    token_endpoint: str = ""
    user_endpoint: str = ""
    jwks_endpoint: str = ""
    sign_algo: str = "RS256"
    match_claim: str = "email"  # or "preferred_username"
    create_users: bool = False
    timeout_seconds: int = 10

    def django_settings(self) -> dict[str, Any]:
        """The settings mozilla-django-oidc and dean06.accounts.oidc read."""
        return {
            "OIDC_RP_CLIENT_ID": self.client_id,
            "OIDC_RP_CLIENT_SECRET": self.client_secret,
            "OIDC_RP_SIGN_ALGO": self.sign_algo,
            "OIDC_OP_ISSUER": self.issuer,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": self.authorization_endpoint,
            "OIDC_OP_TOKEN_ENDPOINT": self.token_endpoint,
            "OIDC_OP_USER_ENDPOINT": self.user_endpoint,
            "OIDC_OP_JWKS_ENDPOINT": self.jwks_endpoint,
            "OIDC_RP_SCOPES": "openid email profile",
            "OIDC_MATCH_CLAIM": self.match_claim,
            # Accounts are made by the secretariat, unless the province chose otherwise.
            "OIDC_CREATE_USER": self.create_users,
            "OIDC_USE_NONCE": True,
            # PKCE: a code caught on its way back (a browser extension, a proxy's log) is
            # useless without the verifier that never left the server.
            "OIDC_USE_PKCE": True,
            "OIDC_TIMEOUT": self.timeout_seconds,
            "OIDC_STORE_ACCESS_TOKEN": False,
            "OIDC_STORE_ID_TOKEN": False,
        }


def oidc_url_checked(name: str, value: str) -> str:
    """An address of the provider: https, or http on this machine only (a test provider). The
    client secret and the users' tokens travel to it."""
    if not value:
        return value
    parsed = urlsplit(value)
    host = (parsed.hostname or "").lower()
    if parsed.scheme == "https" or (parsed.scheme == "http" and host in _LOOPBACK):
        return value
    raise ConfigError(
        f"{name}={value!r} phải là địa chỉ https:// (mật khẩu ứng dụng và thẻ đăng nhập đi qua "
        f"đó). ({name} must be an https URL)"
    )


def oidc_provider() -> OIDCProvider | None:
    """`DEAN06_OIDC_*`: the OpenID provider, or None when single sign-on is off (neither an
    issuer nor an endpoint is set). Anything incomplete is a ConfigError naming what is
    missing, rather than a sign-in button that cannot work."""

    def get(suffix: str) -> str:
        return os.environ.get(f"DEAN06_OIDC_{suffix}", "").strip()

    endpoints = {
        key: oidc_url_checked(f"DEAN06_OIDC_{key.upper()}", get(key.upper()))
        for key in ("authorization_endpoint", "token_endpoint", "user_endpoint", "jwks_endpoint")
    }
    issuer = oidc_url_checked("DEAN06_OIDC_ISSUER", get("ISSUER"))
    if not issuer and not any(endpoints.values()):
        return None
    missing = [f"DEAN06_OIDC_{n}" for n in ("CLIENT_ID", "CLIENT_SECRET") if not get(n)]
    if not issuer:
        missing += [
            f"DEAN06_OIDC_{key.upper()}"
            for key in ("authorization_endpoint", "token_endpoint", "user_endpoint")
            if not endpoints[key]
        ]
    algo = (get("SIGN_ALGO") or "RS256").upper()
    if algo not in OIDC_SIGN_ALGOS:
        raise ConfigError(
            f"DEAN06_OIDC_SIGN_ALGO={algo!r} không hợp lệ: dùng một trong "
            f"{', '.join(OIDC_SIGN_ALGOS)}. (invalid DEAN06_OIDC_SIGN_ALGO)"
        )
    if not algo.startswith("HS") and not issuer and not endpoints["jwks_endpoint"]:
        missing.append("DEAN06_OIDC_JWKS_ENDPOINT")
    if missing:
        raise ConfigError(
            f"Đăng nhập một lần (OIDC) chưa cấu hình đủ: thiếu {', '.join(missing)}. "
            "(incomplete OIDC configuration)"
        )
    match = (get("MATCH") or "email").lower()
    if match not in OIDC_MATCHES:
        raise ConfigError(
            f"DEAN06_OIDC_MATCH={match!r} không hợp lệ: dùng email hoặc username. "
            "(invalid DEAN06_OIDC_MATCH)"
        )
    return OIDCProvider(
        client_id=get("CLIENT_ID"),
        client_secret=get("CLIENT_SECRET"),
        issuer=issuer,
        sign_algo=algo,
        match_claim=OIDC_MATCHES[match],
        create_users=env_flag("DEAN06_OIDC_CREATE_USERS"),
        timeout_seconds=env_int("DEAN06_OIDC_TIMEOUT_SECONDS", 10, minimum=1),
        **endpoints,
    )
