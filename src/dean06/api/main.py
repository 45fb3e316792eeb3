"""The REST API: one NinjaAPI, its routers (one per domain), its errors answered in one place.

Mounted at /api/ (`dean06.urls`). Every answer is JSON; errors are `{"detail": "<Vietnamese>"}`
with the HTTP status of what went wrong. The schema (/api/openapi.json) and its docs
(/api/docs, Swagger UI served from the installed package, no CDN) are for the secretariat and
administrators.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from functools import wraps
from pathlib import Path
from typing import Any

import ninja
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils.html import escape
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.docs import DocsBase
from ninja.renderers import JSONRenderer

from dean06.api import documents, exports, kpis, plans, quality, reports, tracking, units
from dean06.api.auth import AUTH, schema_reader
from dean06.core.exceptions import ApplicationError

NOT_SIGNED_IN = "Chưa đăng nhập hoặc khóa API không hợp lệ, đã bị thu hồi."
FORBIDDEN = "Bạn không có quyền thực hiện thao tác này."
NOT_FOUND = "Không tìm thấy."
INVALID = "Dữ liệu gửi lên không hợp lệ."
# ninja's own English messages, as a user reads them.
HTTP_MESSAGES = {
    "CSRF check Failed": "Thiếu hoặc sai mã CSRF (gửi kèm tiêu đề X-CSRFToken).",
    "Unauthorized": NOT_SIGNED_IN,
    "Forbidden": FORBIDDEN,
    "Too many requests.": "Quá nhiều yêu cầu, thử lại sau.",
}

# --- the docs page, offline -----------------------------------------------------------------

SWAGGER_FILES = {
    "swagger-ui.css": "text/css",
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui-init.js": "text/javascript",
    "favicon.png": "image/png",
}
SWAGGER_DIR = Path(ninja.__file__).parent / "static" / "ninja"


class OfflineSwagger(DocsBase):
    """Swagger UI from the files ninja ships, served under /api/docs/assets/: no CDN, and no
    inline script (the Content-Security-Policy forbids it): settings travel as JSON data."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        settings = {
            "url": self.get_openapi_url(api, kwargs),
            "layout": "BaseLayout",
            "deepLinking": True,
        }
        data = json.dumps(settings).replace("<", "\\u003c")

        def asset(name: str) -> str:
            return escape(reverse(f"{api.urls_namespace}:docs-asset", args=[name]))

        html = f"""<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>{escape(api.title)}</title>
<link rel="stylesheet" href="{asset("swagger-ui.css")}">
<link rel="icon" href="{asset("favicon.png")}" type="image/png">
</head>
<body data-csrf-token="{escape(get_token(request))}" data-api-csrf="true">
<script type="application/json" id="swagger-settings">{data}</script>
<div id="swagger-ui"></div>
<script src="{asset("swagger-ui-bundle.js")}"></script>
<script src="{asset("swagger-ui-init.js")}"></script>
</body>
</html>"""
        return HttpResponse(html)


def docs_asset(request: HttpRequest, name: str) -> FileResponse:
    if name not in SWAGGER_FILES:
        raise Http404(NOT_FOUND)
    return FileResponse((SWAGGER_DIR / name).open("rb"), content_type=SWAGGER_FILES[name])


class Utf8Json(JSONRenderer):
    """JSON with Vietnamese as it is written, not as \\u escapes."""

    json_dumps_params: Mapping[str, Any] = {"ensure_ascii": False}


def _error(detail: str, status: int, **extra: Any) -> JsonResponse:
    return JsonResponse(
        {"detail": detail, **extra}, status=status, json_dumps_params={"ensure_ascii": False}
    )


def schema_access(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The schema and the docs: 401 for nobody signed in, 403 for the roles that are not the
    secretariat or administrators."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            reader = schema_reader(request)
        except PermissionDenied as exc:
            return _error(str(exc) or FORBIDDEN, 403)
        if reader is None:
            response = _error(NOT_SIGNED_IN, 401)
            response["WWW-Authenticate"] = "Bearer"
            return response
        return view(request, *args, **kwargs)

    return wrapper


api = NinjaAPI(
    title="dean06 API",
    version="1",
    description=(
        "API của dean06 (theo dõi triển khai Đề án 06 cấp tỉnh): kế hoạch, nhiệm vụ, phân công, "
        "đơn vị, kỳ báo cáo, báo cáo tiến độ, văn bản, số liệu dịch vụ công, cảnh báo số liệu, "
        "báo cáo tổng hợp và tệp xuất. Xác thực: phiên đăng nhập của trình duyệt (kèm "
        "X-CSRFToken khi ghi) hoặc khóa API `Authorization: Bearer d06_…`."
    ),
    urls_namespace="api",
    docs=OfflineSwagger(),
    docs_url="/docs",
    openapi_url="/openapi.json",
    docs_decorator=schema_access,
    auth=AUTH,
    renderer=Utf8Json(),
)

api.add_router("/units", units.router, tags=["Đơn vị"])
api.add_router("", plans.router, tags=["Kế hoạch, nhiệm vụ"])
api.add_router("", tracking.router, tags=["Kỳ và báo cáo tiến độ"])
api.add_router("/documents", documents.router, tags=["Văn bản"])
api.add_router("", kpis.router, tags=["Số liệu dịch vụ công"])
api.add_router("/findings", quality.router, tags=["Cảnh báo số liệu"])
api.add_router("/generated-reports", reports.router, tags=["Báo cáo tổng hợp"])
api.add_router("/exports", exports.router, tags=["Xuất dữ liệu"])


# --- errors: the one place ------------------------------------------------------------------


@api.exception_handler(ApplicationError)
def _application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    extra: dict[str, Any] = {}
    fields = exc.extra.get("fields")
    if isinstance(fields, dict):
        extra["fields"] = {str(k): str(v) for k, v in fields.items()}
    return _error(exc.message, exc.status_code, **extra)


@api.exception_handler(PermissionDenied)
def _permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(str(exc) or FORBIDDEN, 403)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    message = str(exc)
    # Django's own "No X matches the given query." is English: not shown.
    return _error(message if message and " matches " not in message else NOT_FOUND, 404)


@api.exception_handler(AuthenticationError)
def _not_authenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _error(NOT_SIGNED_IN, 401)
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(HTTP_MESSAGES.get(exc.message, exc.message), exc.status_code)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = json.loads(json.dumps(exc.errors, default=str))
    return _error(INVALID, 422, errors=errors)


# --- URLs -----------------------------------------------------------------------------------


def _open_to_api(patterns: list[Any]) -> None:
    """The site's LoginRequiredMiddleware sends visitors to the sign-in page; the API answers
    401 JSON itself instead."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _open_to_api(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            pattern.callback.login_required = False  # type: ignore[attr-defined]


def _urls() -> tuple[list[Any], str, str]:
    patterns, app_name, namespace = api.urls
    patterns = [
        *patterns,
        path(
            "docs/assets/<str:name>",
            login_not_required(docs_asset),
            name="docs-asset",
        ),
    ]
    _open_to_api(patterns)
    return patterns, app_name, namespace


urls = _urls()
