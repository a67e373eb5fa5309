"""The document font ships with the project, and an authority can set its own family and folder."""

import shutil

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from inspections.models import Finding
from inspections.tests.factories import ConclusionNoticeFactory, FindingFactory
from reports.models import Report
from reports.rendering import pdf as pdf_engine
from reports.rendering.documents import render_document

from . import pdf_text


def test_the_document_font_and_its_licence_ship_with_the_project():
    folder = settings.PDF_FONT_DIR
    assert folder.resolve().is_relative_to(settings.BASE_DIR.resolve())
    for name in settings.PDF_FONT_FILES:
        assert (folder / name).is_file(), name
        assert finders.find(f"pdf-fonts/{name}") == str(folder / name)
    assert "SIL OPEN FONT LICENSE Version 1.1" in (folder / "LICENSE").read_text()


@pytest.fixture
def other_font(settings, tmp_path):
    """Liberation Serif copied under other names into a folder of its own, declared as another family."""
    names = ["Office-R.ttf", "Office-B.ttf", "Office-I.ttf", "Office-BI.ttf"]
    for source, target in zip(settings.PDF_FONT_FILES, names, strict=True):
        shutil.copy(settings.PDF_FONT_DIR / source, tmp_path / target)
    settings.STATICFILES_DIRS = [
        entry for entry in settings.STATICFILES_DIRS if not (isinstance(entry, tuple) and entry[0] == "pdf-fonts")
    ] + [("pdf-fonts", tmp_path)]
    settings.PDF_FONT_DIR = tmp_path
    settings.PDF_FONT_FILES = names
    settings.PDF_FONT_FAMILY = "Office Serif"
    finders.get_finder.cache_clear()
    yield tmp_path
    finders.get_finder.cache_clear()


@pytest.mark.django_db
def test_a_document_renders_in_the_family_and_folder_the_settings_name(world, other_font):
    FindingFactory(visit=world.visit_a, kind=Finding.Kind.SHORTCOMING, text="Hồ sơ lưu trữ chưa đầy đủ")
    ConclusionNoticeFactory(visit=world.visit_a)
    rendered = render_document(kind=Report.Kind.NOTICE, plan=world.plan, visit=world.visit_a)
    assert "Hồ sơ lưu trữ chưa đầy đủ" in pdf_text.text(rendered.content)
    fonts = pdf_text.fonts(rendered.content)
    assert fonts and all(font.embedded for font in fonts), fonts


@pytest.mark.django_db
def test_a_missing_font_file_names_the_file_and_the_folder(world, other_font):
    (other_font / "Office-B.ttf").unlink()
    ConclusionNoticeFactory(visit=world.visit_a)
    with pytest.raises(pdf_engine.FontMissing, match=r"Office-B\.ttf"):
        render_document(kind=Report.Kind.NOTICE, plan=world.plan, visit=world.visit_a)
