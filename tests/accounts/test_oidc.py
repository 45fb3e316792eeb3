"""Single sign-on through OpenID Connect, against a real provider running in this process: a small
HTTP server on 127.0.0.1 with the authorization, token, user information, key set and discovery
endpoints, signing its ID tokens with the client secret (HS256) or an RSA key (RS256). The flow is
driven with Django's test client as a browser would go: dean06 → the provider → back to dean06."""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import os
import secrets
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import SESSION_KEY
from django.urls import clear_url_caches

from dean06 import config
from dean06.accounts.models import User
from dean06.accounts.roles import Role
from dean06.core.models import AuditEntry
from tests.factories import AssignmentFactory

# Run once (SQLite): what it checks does not depend on the database (see tests/conftest.py).
pytestmark = pytest.mark.once

CLIENT_ID = "dean06-test"
CLIENT_SECRET = "s3cret-" + "x" * 41  # HS256 wants a key at least as long as its hash


# --- the provider -------------------------------------------------------------------------------


@dataclass
class Provider:
    """A minimal OpenID provider. `person` is who signs in at its login page next; `id_token_extra`
    and `userinfo_extra` change what it says (to play a misbehaving or hostile provider)."""

    algo: str
    url: str = ""
    person: dict[str, Any] = field(default_factory=dict)
    id_token_extra: dict[str, Any] = field(default_factory=dict)
    userinfo_extra: dict[str, Any] = field(default_factory=dict)
    signing_secret: str = CLIENT_SECRET
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    tokens: dict[str, dict[str, Any]] = field(default_factory=dict)
    hits: list[str] = field(default_factory=list)
    key: Any = None

    def __post_init__(self) -> None:
        if self.algo == "RS256":
            self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    @property
    def issuer(self) -> str:
        return self.url

    def jwks(self) -> dict[str, Any]:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**public, "kid": "k1", "alg": "RS256", "use": "sig"}]}

    def id_token(self, claims: dict[str, Any]) -> str:
        if self.algo == "RS256":
            return jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": "k1"})
        return jwt.encode(claims, self.signing_secret, algorithm="HS256")


def _handler(provider: Provider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # quiet
            pass

        def _json(self, status: int, body: Any) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            query = {k: v[-1] for k, v in parse_qs(url.query).items()}
            provider.hits.append(url.path)
            if url.path == "/.well-known/openid-configuration":
                self._json(
                    200,
                    {
                        "issuer": provider.issuer,
                        "authorization_endpoint": f"{provider.url}/authorize",
                        "token_endpoint": f"{provider.url}/token",
                        "userinfo_endpoint": f"{provider.url}/userinfo",
                        "jwks_uri": f"{provider.url}/jwks",
                    },
                )
            elif url.path == "/authorize":
                # The person has signed in at the provider's page: back to the client with a code.
                if query.get("client_id") != CLIENT_ID or query.get("response_type") != "code":
                    self._json(400, {"error": "invalid_request"})
                    return
                code = secrets.token_urlsafe(16)
                provider.codes[code] = {**query, "person": dict(provider.person)}
                target = (
                    f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"
                )
                self.send_response(302)
                self.send_header("Location", target)
                self.end_headers()
            elif url.path == "/userinfo":
                token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                if token not in provider.tokens:
                    self._json(401, {"error": "invalid_token"})
                    return
                self._json(200, {**provider.tokens[token], **provider.userinfo_extra})
            elif url.path == "/jwks" and provider.key is not None:
                self._json(200, provider.jwks())
            else:
                self._json(404, {"error": "not_found"})

        def do_POST(self) -> None:
            url = urlsplit(self.path)
            provider.hits.append(url.path)
            length = int(self.headers.get("Content-Length", "0"))
            form = {k: v[-1] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            if url.path != "/token":
                self._json(404, {"error": "not_found"})
                return
            grant = provider.codes.pop(form.get("code", ""), None)  # a code is good once
            if (
                grant is None
                or form.get("grant_type") != "authorization_code"
                or form.get("client_id") != CLIENT_ID
                or form.get("client_secret") != CLIENT_SECRET
                or form.get("redirect_uri") != grant["redirect_uri"]
            ):
                self._json(400, {"error": "invalid_grant"})
                return
            # PKCE (RFC 7636): the verifier must hash to the challenge sent at /authorize.
            verifier = form.get("code_verifier", "")
            challenge = (
                base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
                .rstrip(b"=")
                .decode()
            )
            if grant.get("code_challenge_method") != "S256" or challenge != grant.get(
                "code_challenge"
            ):
                self._json(400, {"error": "invalid_grant", "error_description": "PKCE"})
                return
            person = grant["person"]
            now = int(time.time())
            claims = {
                "iss": provider.issuer,
                "sub": person["sub"],
                "aud": CLIENT_ID,
                "iat": now,
                "exp": now + 300,
                "nonce": grant.get("nonce"),
                **provider.id_token_extra,
            }
            access = secrets.token_urlsafe(16)
            provider.tokens[access] = person
            self._json(
                200,
                {
                    "access_token": access,
                    "token_type": "Bearer",
                    "expires_in": 300,
                    "id_token": provider.id_token(claims),
                },
            )

    return Handler


@pytest.fixture(params=["HS256", "RS256"])
def provider(request) -> Iterator[Provider]:
    found = Provider(algo=request.param)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(found))
    found.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield found
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def _reload_urls() -> None:
    import importlib

    import dean06.urls

    importlib.reload(dean06.urls)
    clear_url_caches()


@pytest.fixture
def sso(settings, provider, monkeypatch, db):
    """Single sign-on switched on as the environment would: DEAN06_OIDC_* read by
    `config.oidc_provider`, the same settings and URLs as dean06.settings and dean06.urls make.
    With HS256 the endpoints are given one by one; with RS256 only the issuer (discovery)."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")

    def enable(**extra: str) -> Provider:
        for name in list(os.environ):
            if name.startswith("DEAN06_OIDC_"):
                monkeypatch.delenv(name)
        env = {"CLIENT_ID": CLIENT_ID, "CLIENT_SECRET": CLIENT_SECRET, "SIGN_ALGO": provider.algo}
        if provider.algo == "HS256":
            env |= {
                "AUTHORIZATION_ENDPOINT": f"{provider.url}/authorize",
                "TOKEN_ENDPOINT": f"{provider.url}/token",
                "USER_ENDPOINT": f"{provider.url}/userinfo",
            }
        else:
            env["ISSUER"] = provider.issuer
        for name, value in {**env, **extra}.items():
            monkeypatch.setenv(f"DEAN06_OIDC_{name}", value)
        found = config.oidc_provider()
        assert found is not None
        settings.OIDC_PROVIDER = found
        settings.OIDC_ENABLED = True
        for name, value in found.django_settings().items():
            setattr(settings, name, value)
        backend = "dean06.accounts.oidc.OIDCBackend"
        if backend not in settings.AUTHENTICATION_BACKENDS:
            settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, backend]
        _reload_urls()
        return provider

    enable()
    yield enable
    settings.OIDC_ENABLED = False
    _reload_urls()


def _sign_in(client, provider: Provider, person: dict[str, Any], next_url: str = ""):
    """Press the button, let the provider sign `person` in, come back; the final response."""
    provider.person = person
    start = client.get("/oidc/authenticate/", {"next": next_url} if next_url else {})
    assert start.status_code == 302, start.content[:500]
    to_provider = urlsplit(start["Location"])
    assert f"{to_provider.scheme}://{to_provider.netloc}" == provider.url
    assert to_provider.path == "/authorize"
    # The browser at the provider (a real HTTP request to it).
    connection = http.client.HTTPConnection(to_provider.hostname, to_provider.port, timeout=10)
    connection.request("GET", f"{to_provider.path}?{to_provider.query}")
    answer = connection.getresponse()
    answer.read()
    connection.close()
    assert answer.status == 302
    back = urlsplit(answer.getheader("Location"))
    assert back.netloc == "testserver" and back.path == "/oidc/callback/"
    return client.get(f"{back.path}?{back.query}")


def _signed_in_as(client) -> int | None:
    value = client.session.get(SESSION_KEY)
    return int(value) if value is not None else None


def _refused_page(client, response) -> str:
    assert response.status_code == 302 and response["Location"] == "/dang-nhap/"
    assert _signed_in_as(client) is None
    return client.get("/dang-nhap/").content.decode()


def _person(**claims: Any) -> dict[str, Any]:
    return {"sub": secrets.token_hex(8), **claims}


# --- the flow -----------------------------------------------------------------------------------


def test_sign_in_through_the_provider_as_the_account_with_that_email(client, sso, make_user):
    provider = sso()
    user = make_user(Role.SECRETARIAT, email="thuong.truc@bacgiang.gov.vn")
    response = _sign_in(client, provider, _person(email="Thuong.Truc@BacGiang.gov.vn"))
    assert response.status_code == 302 and response["Location"] == "/"
    assert _signed_in_as(client) == user.pk
    assert client.get("/").status_code == 200
    entry = AuditEntry.objects.get(action="accounts.user.signed_in")
    assert entry.actor == user and entry.object_id == str(user.pk)
    assert entry.after == {"method": "oidc", "matched_by": "email"}
    assert "token" not in json.dumps(entry.after)
    if provider.algo == "RS256":  # endpoints found through the issuer's discovery document
        assert "/.well-known/openid-configuration" in provider.hits and "/jwks" in provider.hits


def test_the_page_asked_for_before_signing_in_is_where_one_lands(client, sso, make_user):
    provider = sso()
    make_user(Role.SECRETARIAT, email="a@bacgiang.gov.vn")
    response = _sign_in(client, provider, _person(email="a@bacgiang.gov.vn"), "/ke-hoach/")
    assert response["Location"] == "/ke-hoach/"
    outside = _sign_in(client, provider, _person(email="a@bacgiang.gov.vn"), "https://evil.test/")
    assert outside["Location"] == "/"


def test_sign_in_by_user_name_when_so_configured(client, sso, make_user):
    provider = sso(MATCH="username")
    user = make_user(Role.PROVINCIAL_LEADER, username="lanh.dao", email="")
    assert _sign_in(client, provider, _person(preferred_username="lanh.dao")).status_code == 302
    assert _signed_in_as(client) == user.pk
    client.logout()
    refused = _sign_in(client, provider, _person(preferred_username="Lanh.Dao"))
    assert "Không đăng nhập một lần (SSO) được" in _refused_page(client, refused)


def test_an_unknown_email_is_refused_and_no_account_made(client, sso, make_user):
    provider = sso()
    make_user(Role.SECRETARIAT, email="known@bacgiang.gov.vn")
    count = User.objects.count()
    response = _sign_in(client, provider, _person(email="stranger@example.com"))
    assert "Không đăng nhập một lần (SSO) được" in _refused_page(client, response)
    assert User.objects.count() == count
    entry = AuditEntry.objects.get(action="accounts.user.sign_in_refused")
    assert entry.actor is None and entry.object_repr == "stranger@example.com"
    assert entry.after["reason"] == "no_account"


def test_with_creation_on_a_new_person_gets_an_account_without_role_or_unit(client, sso):
    provider = sso(CREATE_USERS="1")
    response = _sign_in(
        client,
        provider,
        _person(
            email="moi@bacgiang.gov.vn",
            email_verified=True,
            preferred_username="can.bo.moi",
            given_name="Văn",
            family_name="Mới",
        ),
    )
    assert response.status_code == 302 and response["Location"] == "/"
    user = User.objects.get(username="can.bo.moi")
    assert _signed_in_as(client) == user.pk
    assert user.role == "" and user.unit is None
    assert not user.is_staff and not user.is_superuser
    assert not user.has_usable_password()
    assert user.email == "moi@bacgiang.gov.vn" and user.get_full_name() == "Văn Mới"
    created = AuditEntry.objects.get(action="accounts.user.created", object_id=str(user.pk))
    assert created.after["role"] == "" and created.after["unit"] is None
    assert AuditEntry.objects.filter(action="accounts.user.signed_in", actor=user).exists()
    # Without a role nor a unit, nothing of the province's data is shown.
    AssignmentFactory(task__plan__number="77/KH-UBND")
    plans = client.get("/ke-hoach/")
    assert plans.status_code == 200 and "77/KH-UBND" not in plans.content.decode()
    assert not user.sees_whole_province
    # The second time, the same account.
    client.logout()
    _sign_in(client, provider, _person(email="moi@bacgiang.gov.vn", preferred_username="x"))
    assert _signed_in_as(client) == user.pk
    assert User.objects.filter(email="moi@bacgiang.gov.vn").count() == 1


def test_a_disabled_account_is_refused(client, sso, make_user):
    provider = sso()
    user = make_user(Role.SECRETARIAT, email="old@bacgiang.gov.vn", is_active=False)
    response = _sign_in(client, provider, _person(email="old@bacgiang.gov.vn"))
    _refused_page(client, response)
    entry = AuditEntry.objects.get(action="accounts.user.sign_in_refused")
    assert entry.object_id == str(user.pk) and entry.after["reason"] == "inactive"


def test_disabling_an_account_ends_its_single_sign_on_session(client, sso, make_user):
    provider = sso()
    user = make_user(Role.SECRETARIAT, email="leaving@bacgiang.gov.vn")
    _sign_in(client, provider, _person(email="leaving@bacgiang.gov.vn"))
    assert client.get("/").status_code == 200
    User.objects.filter(pk=user.pk).update(is_active=False)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")


def test_an_email_the_provider_has_not_verified_is_refused(client, sso, make_user):
    provider = sso()
    make_user(Role.ADMIN, email="admin@bacgiang.gov.vn")
    response = _sign_in(
        client, provider, _person(email="admin@bacgiang.gov.vn", email_verified=False)
    )
    _refused_page(client, response)
    assert AuditEntry.objects.get(action="accounts.user.sign_in_refused").after == {
        "method": "oidc",
        "reason": "email_unverified",
    }


def test_two_accounts_with_the_same_email_are_refused(client, sso, make_user):
    provider = sso()
    make_user(Role.SECRETARIAT, email="shared@bacgiang.gov.vn")
    make_user(Role.PROVINCIAL_LEADER, email="SHARED@bacgiang.gov.vn")
    _refused_page(client, _sign_in(client, provider, _person(email="shared@bacgiang.gov.vn")))
    assert AuditEntry.objects.get(action="accounts.user.sign_in_refused").after["reason"] == (
        "several"
    )


@pytest.mark.parametrize(
    ("tamper", "reason"),
    [
        ({"id_token_extra": {"aud": "another-application"}}, "token"),
        ({"id_token_extra": {"aud": [CLIENT_ID, "another"], "azp": "another"}}, "token"),
        ({"id_token_extra": {"exp": int(time.time()) - 3600}}, "token"),
        ({"userinfo_extra": {"sub": "someone-else"}}, "subject"),
    ],
    ids=["audience", "authorized-party", "expired", "subject"],
)
def test_tokens_not_meant_for_this_sign_in_are_refused(client, sso, make_user, tamper, reason):
    provider = sso()
    for name, value in tamper.items():
        setattr(provider, name, value)
    make_user(Role.ADMIN, email="admin@bacgiang.gov.vn")
    _refused_page(client, _sign_in(client, provider, _person(email="admin@bacgiang.gov.vn")))
    assert AuditEntry.objects.get(action="accounts.user.sign_in_refused").after["reason"] == reason


@pytest.mark.parametrize("provider", ["RS256"], indirect=True)  # configured by its issuer
def test_a_token_from_another_issuer_is_refused(client, sso, make_user, provider):
    sso()
    provider.id_token_extra = {"iss": "https://other-provider.example"}
    make_user(Role.ADMIN, email="admin@bacgiang.gov.vn")
    _refused_page(client, _sign_in(client, provider, _person(email="admin@bacgiang.gov.vn")))
    assert AuditEntry.objects.get(action="accounts.user.sign_in_refused").after["reason"] == "token"


def test_a_token_signed_with_another_key_is_refused(client, sso, make_user, provider):
    sso()
    if provider.algo == "RS256":
        provider.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        genuine = Provider(algo="RS256")
        provider.jwks = genuine.jwks  # type: ignore[method-assign]  # the key set lies
    else:
        provider.signing_secret = "another-" + "y" * 40
    make_user(Role.ADMIN, email="admin@bacgiang.gov.vn")
    _refused_page(client, _sign_in(client, provider, _person(email="admin@bacgiang.gov.vn")))
    assert AuditEntry.objects.get(action="accounts.user.sign_in_refused").after["reason"] == "token"


def test_a_code_cannot_be_brought_back_twice(client, sso, make_user):
    provider = sso()
    make_user(Role.SECRETARIAT, email="a@bacgiang.gov.vn")
    provider.person = _person(email="a@bacgiang.gov.vn")
    start = urlsplit(client.get("/oidc/authenticate/")["Location"])
    connection = http.client.HTTPConnection(start.hostname, start.port, timeout=10)
    connection.request("GET", f"{start.path}?{start.query}")
    callback = urlsplit(connection.getresponse().getheader("Location"))
    connection.close()
    assert client.get(f"{callback.path}?{callback.query}").status_code == 302
    assert _signed_in_as(client) is not None
    client.logout()
    # The same code and state again: the state is spent (and so is the code at the provider).
    again = client.get(f"{callback.path}?{callback.query}")
    assert again.status_code in (302, 400)
    assert _signed_in_as(client) is None


def test_password_sign_in_still_works_and_asks_the_provider_nothing(client, sso, make_user):
    provider = sso()
    provider.hits.clear()
    user = make_user(Role.SECRETARIAT)
    response = client.post(
        "/dang-nhap/", {"username": user.username, "password": "secret-pass-123"}
    )
    assert response.status_code == 302 and _signed_in_as(client) == user.pk
    assert client.get("/").status_code == 200
    assert provider.hits == []


def test_the_sign_in_page_shows_the_button_when_on(client, sso):
    sso()
    page = client.get("/dang-nhap/", {"next": "/ke-hoach/"}).content.decode()
    assert "Đăng nhập một lần (SSO)" in page
    assert 'href="/oidc/authenticate/?next=/ke-hoach/"' in page


@pytest.mark.parametrize("provider", ["RS256"], indirect=True)  # configured by its issuer
def test_a_provider_that_cannot_be_reached_is_a_message_not_an_error(client, sso, provider):
    sso(ISSUER="http://127.0.0.1:9/nothing-here")
    response = client.get("/oidc/authenticate/")
    assert response.status_code == 302 and response["Location"] == "/dang-nhap/"
    assert (
        "Chưa kết nối được với máy chủ đăng nhập một lần"
        in client.get("/dang-nhap/").content.decode()
    )


# --- off unless configured ----------------------------------------------------------------------


def test_without_configuration_there_are_no_sso_pages_and_no_button(client, db):
    assert config.oidc_provider() is None or os.environ.get("DEAN06_OIDC_ISSUER")
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/", {"code": "x", "state": "y"}).status_code == 404
    page = client.get("/dang-nhap/").content.decode()
    assert "Đăng nhập một lần" not in page and "/oidc/" not in page


def _probe(env: dict[str, str], tmp_path) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if not k.startswith(("DEAN06_", "DATABASE_URL"))}
    full.update(DEAN06_DATA_DIR=str(tmp_path / "data"), **env)
    probe = (
        "import json, dean06.settings as s; g = lambda n: getattr(s, n, None); "
        "print(json.dumps({'on': s.OIDC_ENABLED, 'backends': s.AUTHENTICATION_BACKENDS, "
        "'create': g('OIDC_CREATE_USER'), 'algo': g('OIDC_RP_SIGN_ALGO'), "
        "'pkce': g('OIDC_USE_PKCE')}))"
    )
    return subprocess.run(
        [sys.executable, "-c", probe], env=full, cwd=tmp_path, capture_output=True, text=True
    )


def test_the_environment_turns_sso_on_and_off(tmp_path):
    off = json.loads(_probe({}, tmp_path).stdout)
    assert off["on"] is False
    assert "dean06.accounts.oidc.OIDCBackend" not in off["backends"]
    on = json.loads(
        _probe(
            {
                "DEAN06_OIDC_ISSUER": "https://sso.bacgiang.gov.vn/realms/dean06",
                "DEAN06_OIDC_CLIENT_ID": "dean06",
                "DEAN06_OIDC_CLIENT_SECRET": "s",
            },
            tmp_path,
        ).stdout
    )
    assert on["on"] is True and on["backends"][-1] == "dean06.accounts.oidc.OIDCBackend"
    assert on["create"] is False and on["algo"] == "RS256" and on["pkce"] is True


@pytest.mark.parametrize(
    ("env", "said"),
    [
        ({"DEAN06_OIDC_ISSUER": "https://sso.bacgiang.gov.vn"}, "DEAN06_OIDC_CLIENT_ID"),
        (
            {
                "DEAN06_OIDC_TOKEN_ENDPOINT": "https://sso.bacgiang.gov.vn/token",
                "DEAN06_OIDC_CLIENT_ID": "a",
                "DEAN06_OIDC_CLIENT_SECRET": "b",
            },
            "DEAN06_OIDC_AUTHORIZATION_ENDPOINT",
        ),
        (
            {
                "DEAN06_OIDC_ISSUER": "http://sso.bacgiang.gov.vn",
                "DEAN06_OIDC_CLIENT_ID": "a",
                "DEAN06_OIDC_CLIENT_SECRET": "b",
            },
            "https://",
        ),
        (
            {
                "DEAN06_OIDC_ISSUER": "https://sso.bacgiang.gov.vn",
                "DEAN06_OIDC_CLIENT_ID": "a",
                "DEAN06_OIDC_CLIENT_SECRET": "b",
                "DEAN06_OIDC_SIGN_ALGO": "none",
            },
            "DEAN06_OIDC_SIGN_ALGO",
        ),
    ],
    ids=["no-client", "endpoints-missing", "plain-http", "unsigned"],
)
def test_an_incomplete_or_unsafe_configuration_is_refused_in_one_line(tmp_path, env, said):
    full = {k: v for k, v in os.environ.items() if not k.startswith(("DEAN06_", "DATABASE_URL"))}
    full.update(DEAN06_DATA_DIR=str(tmp_path / "data"), **env)
    result = subprocess.run(
        [sys.executable, "-m", "dean06.cli", "init", "--quiet"],
        env=full,
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert said in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://sso.bacgiang.gov.vn", True),
        ("http://127.0.0.1:8080/", True),
        ("http://localhost/", True),
        ("http://[::1]:8080/", True),  # urlsplit gives the host without its brackets
        ("http://sso.bacgiang.gov.vn", False),
        ("http://127.0.0.1.evil.example/", False),
    ],
)
def test_a_provider_address_is_https_or_on_this_machine(url, allowed):
    from dean06.config import ConfigError, oidc_url_checked

    if allowed:
        assert oidc_url_checked("DEAN06_OIDC_ISSUER", url) == url
    else:
        with pytest.raises(ConfigError, match="https://"):
            oidc_url_checked("DEAN06_OIDC_ISSUER", url)
