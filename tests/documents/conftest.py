"""Fixtures of the documents register's tests: documents made as the report import makes them
(straight into the table), so each test starts from a known register."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from dean06.documents.models import DocumentGroup, DocumentRecord, DocumentType

_numbers = itertools.count(1)


@pytest.fixture
def make_document(db):
    def make(**values):
        defaults = {
            "number": f"{next(_numbers)}/KH-UBND",
            "doc_type": DocumentType.PLAN,
            "date": dt.date(2024, 3, 1),
            "summary": "Kế hoạch triển khai Đề án 06",
            "issuing_body": "UBND tỉnh",
            "group": DocumentGroup.PROVINCE,
            "source": "import",
        }
        defaults.update(values)
        return DocumentRecord.objects.create(**defaults)

    return make
