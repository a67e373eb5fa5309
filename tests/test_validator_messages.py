"""Messages of Django's own validators and fields, which its Vietnamese catalogue leaves blank, read in Vietnamese."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import models
from django.utils import translation


def _message(check) -> str:
    # Messages are lazy: read inside the override, whatever language an earlier test left active.
    with translation.override("vi"):
        with pytest.raises(ValidationError) as caught:
            check()
        return str(caught.value.messages[0])


@pytest.mark.parametrize(
    ("check", "vietnamese"),
    [
        (lambda: ProhibitNullCharactersValidator()("a\x00b"), "Không được dùng ký tự rỗng (null)."),
        (lambda: models.DecimalField().to_python("abc"), "Giá trị “abc” phải là số thập phân."),
        (lambda: models.IntegerField().to_python("x"), "Giá trị “x” phải là số nguyên."),
        (lambda: models.DateField().to_python("2020-13-45"), "không phải là ngày có thật"),
        (lambda: forms.UUIDField().clean("not-a-uuid"), "Nhập một UUID hợp lệ."),
        (lambda: forms.JSONField().clean("{"), "Nhập JSON hợp lệ."),
        (lambda: forms.DurationField().clean("x"), "Nhập một khoảng thời gian hợp lệ."),
    ],
    ids=["null", "decimal", "integer", "date", "uuid", "json", "duration"],
)
def test_django_messages_left_blank_in_its_catalogue_are_vietnamese(check, vietnamese):
    assert vietnamese in _message(check)
