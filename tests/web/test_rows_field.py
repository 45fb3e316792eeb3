"""Ids chosen in a form (`RowsField`): an id past 64 bits is refused like any unknown id, where
Django's own field let SQLite's OverflowError out as an error page (found by the long property
run on the documents form)."""

from __future__ import annotations

import pytest
from django import forms

from dean06.plans.models import Task
from dean06.web.forms import MAX_ROW_ID, RowsField
from tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("pk", [str(MAX_ROW_ID + 1), str(10**30), "0", "x"])
def test_an_id_no_row_can_have_is_an_invalid_choice(pk):
    TaskFactory()
    with pytest.raises(forms.ValidationError) as refused:
        RowsField(queryset=Task.objects.all()).clean([pk])
    assert refused.value.code in {"invalid_pk_value", "invalid_choice"}


def test_the_rows_named_are_chosen():
    task = TaskFactory()
    assert list(RowsField(queryset=Task.objects.all()).clean([str(task.pk)])) == [task]
