"""The documents register: the list (filters, search without diacritics, pages; HTMX updates
the results in place) and the form that adds or corrects a document and links it to tasks."""

from __future__ import annotations

from functools import partial
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from dean06.accounts.permissions import manages_province
from dean06.core.exceptions import ApplicationError, ConflictError, PermissionDeniedError
from dean06.documents.models import DocumentGroup, DocumentRecord, DocumentType
from dean06.documents.selectors import (
    DocumentFilters,
    can_create_document,
    can_write_document,
    document_filter_choices,
    document_for_edit,
    documents_search,
)
from dean06.documents.services import (
    DocumentChangedError,
    DocumentInput,
    document_create,
    document_update,
    document_version,
)
from dean06.orgs.models import Unit
from dean06.plans.models import Plan, Task
from dean06.plans.selectors import plans_visible_to, tasks_visible_to
from dean06.tracking.models import ReportingPeriod
from dean06.web.forms import RowsField, row_id

PAGE_SIZE = 25
ALL = [("", "Tất cả")]


class DocumentFilterForm(forms.Form):
    """The register's filters; a value that is not one of the choices is an error beside its
    field and does not narrow the list."""

    q = forms.CharField(
        label="Tìm (số, trích yếu, cơ quan)",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "Gõ có dấu hoặc không dấu", "type": "search"}),
    )
    nhom = forms.ChoiceField(label="Nhóm", required=False, choices=ALL + DocumentGroup.choices)
    loai = forms.ChoiceField(
        label="Loại văn bản", required=False, choices=ALL + DocumentType.choices
    )
    ky = forms.TypedChoiceField(label="Kỳ báo cáo", required=False, coerce=int, empty_value=None)
    nam = forms.TypedChoiceField(label="Năm ban hành", required=False, coerce=int, empty_value=None)
    don_vi = forms.TypedChoiceField(
        label="Đơn vị ban hành", required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = document_filter_choices(user)
        self.fields["ky"].choices = ALL + [(str(pk), label) for pk, label in choices.periods]  # type: ignore[attr-defined]
        self.fields["nam"].choices = ALL + [(str(y), str(y)) for y in choices.years]  # type: ignore[attr-defined]
        self.fields["don_vi"].choices = ALL + [(str(pk), name) for pk, name in choices.units]  # type: ignore[attr-defined]

    def filters(self) -> DocumentFilters:
        """The valid values (an invalid one is dropped, its error shown)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return DocumentFilters(
            query=data.get("q") or "",
            group=data.get("nhom") or "",
            doc_type=data.get("loai") or "",
            period_id=data.get("ky"),
            year=data.get("nam"),
            unit_id=data.get("don_vi"),
        )


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true" and not request.headers.get("HX-Boosted")


@require_GET
def document_list(request: HttpRequest) -> HttpResponse:
    form = DocumentFilterForm(request.GET or None, user=request.user)
    documents = documents_search(request.user, form.filters()).annotate(task_count=Count("tasks"))
    page = Paginator(documents, PAGE_SIZE).get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    context = {
        "form": form,
        "page": page,
        "rows": [(d, can_write_document(request.user, d)) for d in page.object_list],
        "query": query.urlencode(),
        "filtered": any(v for k, v in request.GET.items() if k != "trang"),
        "can_create": can_create_document(request.user),
    }
    template = "documents/_results.html" if _is_htmx(request) else "documents/list.html"
    return render(request, template, context)


# --- add and correct --------------------------------------------------------------------------


class DocumentForm(forms.Form):
    number = forms.CharField(label="Số, ký hiệu", max_length=100)
    doc_type = forms.ChoiceField(label="Loại văn bản", choices=DocumentType.choices)
    date = forms.DateField(
        label="Ngày ban hành",
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    summary = forms.CharField(label="Trích yếu", widget=forms.Textarea(attrs={"rows": 3}))
    issuing_body = forms.CharField(label="Cơ quan ban hành", max_length=255, required=False)
    group = forms.ChoiceField(label="Nhóm", choices=DocumentGroup.choices)
    issuer_unit = forms.ModelChoiceField(
        label="Đơn vị ban hành",
        queryset=Unit.objects.none(),
        required=False,
        empty_label="— không thuộc đơn vị nào —",
    )
    period = forms.ModelChoiceField(
        label="Kỳ báo cáo",
        queryset=ReportingPeriod.objects.none(),
        required=False,
        empty_label="— không thuộc kỳ nào —",
    )
    plan = forms.ModelChoiceField(
        label="Thuộc kế hoạch",
        queryset=Plan.objects.none(),
        required=False,
        empty_label="— chọn kế hoạch —",
        help_text="Chọn kế hoạch để chọn các nhiệm vụ văn bản này thực hiện.",
    )
    tasks = RowsField(
        label="Nhiệm vụ liên quan",
        queryset=Task.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        user: Any,
        document: DocumentRecord | None,
        plan_id: Any,
        task_url: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if task_url:
            # With JavaScript, choosing a plan replaces the task choices in place.
            self.fields["plan"].widget.attrs.update(
                {
                    "hx-get": task_url,
                    "hx-target": "#task-choices",
                    "hx-swap": "outerHTML",
                    "hx-trigger": "change",
                }
            )
        self.manager = manages_province(user)
        if self.manager:
            self.fields["issuer_unit"].queryset = Unit.objects.order_by("level", "name")  # type: ignore[attr-defined]
        else:
            # A unit officer writes its own unit's documents: issuer and group are fixed.
            del self.fields["issuer_unit"]
            del self.fields["group"]
        self.fields["period"].queryset = ReportingPeriod.objects.filter(kind="month").order_by(  # type: ignore[attr-defined]
            "-year", "-number"
        )
        self.fields["plan"].queryset = plans_visible_to(user).order_by("-year", "number")  # type: ignore[attr-defined]
        self.fields["tasks"].queryset = task_choices(user, document, plan_id)  # type: ignore[attr-defined]

    def document_input(self) -> DocumentInput:
        data = self.cleaned_data
        return DocumentInput(
            number=data["number"],
            summary=data["summary"],
            doc_type=data["doc_type"],
            date=data.get("date"),
            issuing_body=data.get("issuing_body") or "",
            issuer_unit=data.get("issuer_unit"),
            group=data.get("group") or DocumentGroup.UNIT,
            period=data.get("period"),
            plan=data.get("plan"),
        )


def task_choices(user: Any, document: DocumentRecord | None, plan_id: Any) -> QuerySet[Task]:
    """The tasks offered: those of the chosen plan the user sees, and those already linked."""
    linked = list(document.tasks.values_list("pk", flat=True)) if document else []
    qs = tasks_visible_to(user)
    plan_pk = row_id(plan_id)
    if plan_pk is None:
        return qs.filter(pk__in=linked).order_by("plan__number", "order", "code")
    return qs.filter(Q(plan_id=plan_pk) | Q(pk__in=linked)).order_by(
        "plan__number", "order", "code"
    )


FIELD_NAMES = ("number", "doc_type", "date", "summary", "issuing_body", "group", "issuer_unit")


def _initial(document: DocumentRecord | None) -> dict[str, Any]:
    if document is None:
        return {"doc_type": DocumentType.OTHER, "group": DocumentGroup.PROVINCE}
    return {
        "number": document.number,
        "doc_type": document.doc_type,
        "date": document.date,
        "summary": document.summary,
        "issuing_body": document.issuing_body,
        "group": document.group,
        "issuer_unit": document.issuer_unit_id,
        "period": document.period_id,
        "plan": document.plan_id,
        "tasks": [t.pk for t in document.tasks.all()],
        "version": document_version(document),
    }


def _posted_as_initial(request: HttpRequest) -> dict[str, Any]:
    """What was typed, shown again unchecked (the form is being filled, not sent)."""
    data: dict[str, Any] = {k: request.POST.get(k) for k in request.POST if k != "tasks"}
    data["tasks"] = request.POST.getlist("tasks")
    return data


def _apply_errors(form: DocumentForm, exc: ApplicationError) -> None:
    fields = exc.extra.get("fields")
    if not isinstance(fields, dict) or not fields:
        form.add_error(None, exc.message)
        return
    for name, message in fields.items():
        form.add_error(name if name in form.fields else None, str(message))


def _document_page(request: HttpRequest, document: DocumentRecord | None) -> HttpResponse:
    user: Any = request.user
    plan_id = (
        request.GET.get("plan")
        or request.POST.get("plan")
        or (document.plan_id if document else None)
    )
    make = partial(
        DocumentForm, user=user, document=document, plan_id=plan_id, task_url=request.path
    )
    if request.method == "GET" and _is_htmx(request) and "plan" in request.GET:
        # The plan was changed: only the task choices are replaced.
        form = make(initial=_initial(document))
        return render(request, "documents/_task_choices.html", {"form": form})
    status = 200
    if request.method == "POST" and "chon_ke_hoach" in request.POST:
        # Without JavaScript, "Hiện nhiệm vụ của kế hoạch" sends the form to show the tasks of
        # the plan chosen; nothing is saved.
        form = make(initial=_posted_as_initial(request))
    elif request.method == "POST":
        form = make(request.POST)
        if form.is_valid():
            try:
                if document is None:
                    saved = document_create(
                        data=form.document_input(), tasks=form.cleaned_data["tasks"], by=user
                    )
                else:
                    saved = document_update(
                        document=document,
                        data=form.document_input(),
                        tasks=form.cleaned_data["tasks"],
                        version=form.cleaned_data.get("version") or None,
                        by=user,
                    )
            except PermissionDeniedError as exc:
                raise PermissionDenied(exc.message) from exc
            except ApplicationError as exc:
                _apply_errors(form, exc)
                status = 409 if isinstance(exc, DocumentChangedError | ConflictError) else 422
            else:
                messages.success(
                    request,
                    f"Đã {'thêm' if document is None else 'lưu'} văn bản {saved.number}.",
                )
                return HttpResponseRedirect(reverse("document_list"))
        else:
            status = 422
    else:
        form = make(initial=_initial(document))
    return render(
        request,
        "documents/form.html",
        {
            "form": form,
            "document": document,
            "unit": None if form.manager else getattr(user, "unit", None),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def document_new(request: HttpRequest) -> HttpResponse:
    if not can_create_document(request.user):
        raise PermissionDenied("Bạn không có quyền thêm văn bản vào sổ.")
    return _document_page(request, None)


@require_http_methods(["GET", "POST"])
def document_edit(request: HttpRequest, document_id: int) -> HttpResponse:
    document = document_for_edit(request.user, document_id)
    if document is None:
        raise Http404("Không tìm thấy văn bản.")
    if not can_write_document(request.user, document):
        raise PermissionDenied("Bạn chỉ sửa được văn bản của đơn vị mình.")
    return _document_page(request, document)
