"""factory_boy factories for the domain models."""

from __future__ import annotations

import datetime as dt

import factory

from dean06.accounts.models import User
from dean06.accounts.roles import Role
from dean06.orgs.models import Unit, UnitGroup, UnitKind, UnitLevel
from dean06.plans.models import Assignment, AssignmentRole, Plan, Task
from dean06.tracking.models import PeriodKind, ReportingPeriod


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"UNIT_{n}")
    name = factory.Sequence(lambda n: f"Sở Thử nghiệm {n}")
    kind = UnitKind.DEPARTMENT
    level = UnitLevel.PROVINCE


class UnitGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnitGroup

    key = factory.Sequence(lambda n: f"GROUP_{n}")
    name = factory.Sequence(lambda n: f"Nhóm {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.UNIT_OFFICER
    unit = factory.LazyAttribute(
        lambda o: UnitFactory() if o.role in (Role.UNIT_OFFICER, Role.UNIT_LEADER) else None
    )
    password = factory.PostGenerationMethodCall("set_password", "secret-pass-123")

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    number = factory.Sequence(lambda n: f"{n}/KH-UBND")
    date = dt.date(2024, 1, 23)
    year = 2024
    title = "Kế hoạch thử nghiệm"


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    plan = factory.SubFactory(PlanFactory)
    code = factory.Sequence(lambda n: f"A.{n}")
    content = factory.Sequence(lambda n: f"Nhiệm vụ thử nghiệm {n}")


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    task = factory.SubFactory(TaskFactory)
    unit = factory.SubFactory(UnitFactory)
    role = AssignmentRole.LEAD


class PeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportingPeriod
        django_get_or_create = ("kind", "year", "number")

    kind = PeriodKind.MONTH
    year = 2024
    number = 7
    start = dt.date(2024, 6, 15)
    end = dt.date(2024, 7, 14)
    due_date = dt.date(2024, 7, 15)
    label = "Tháng 7/2024"


# --- kpis and quality (appended) ---------------------------------------------------------------


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "kpis.Indicator"

    code = factory.Sequence(lambda n: f"CT-{n}")
    name = factory.Sequence(lambda n: f"Chỉ tiêu thử nghiệm {n}")
    kind = "ratio"


class ServiceStatFactory(factory.django.DjangoModelFactory):
    """A stored figure; pass `service_code` to use a service loaded from the reference data."""

    class Meta:
        model = "kpis.ServiceStat"
        exclude = ("service_code",)

    service_code = "DA06-09"
    service = factory.LazyAttribute(
        lambda o: __import__(
            "dean06.kpis.models", fromlist=["PublicService"]
        ).PublicService.objects.get(code=o.service_code)
    )
    unit = factory.SubFactory(UnitFactory)
    period = factory.SubFactory(PeriodFactory)
    level = "all"
