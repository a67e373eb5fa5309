"""A commune clerk on a 390 px phone: numeric keyboard for scores, the save state in view, a photo from the
camera as evidence, and the keyboard path from the skip link; errors are tied to their fields."""

import io

import pytest
from PIL import Image

from conftest import browser_login
from inspections.models import Evidence
from inspections.tests.test_portal_browser import ready_world

PHONE = {"width": 390, "height": 844}


def _photo(path):
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (139, 26, 26)).save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return path


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_commune_scores_and_sends_a_camera_photo_from_a_phone(page, live_server, tmp_path):
    world = ready_world()
    criterion = world.leaves[1]
    page.set_viewport_size(PHONE)
    browser_login(page, live_server, "commune_a")
    page.goto(f"{live_server.url}/campaigns/visits/{world.visit_a.pk}/self-assessment/")
    card = page.get_by_test_id(f"criterion-{criterion.code}")

    score = card.locator(f"#id_c{criterion.pk}-self_score")
    assert score.get_attribute("inputmode") == "decimal"
    assert score.bounding_box()["height"] >= 44
    unsaved = card.get_by_test_id("unsaved")
    assert not unsaved.is_visible()
    score.fill("3,5")
    assert unsaved.is_visible() and unsaved.inner_text() == "Chưa lưu"
    card.get_by_test_id("save-score").click()
    card.get_by_test_id("saved").wait_for()
    assert card.get_by_test_id("saved").get_attribute("role") == "status"
    assert not card.get_by_test_id("unsaved").is_visible()

    card.get_by_test_id("attach-toggle").click()
    camera = card.get_by_test_id("camera-input")
    assert camera.is_visible() and camera.bounding_box()["height"] >= 44
    assert camera.get_attribute("capture") == "environment"
    assert camera.get_attribute("accept") == "image/jpeg,image/png"
    camera.set_input_files(str(_photo(tmp_path / "Bảng niêm yết thủ tục.png")))
    card.get_by_test_id("upload").click()
    card.get_by_test_id("evidence-link").filter(has_text="Bảng niêm yết thủ tục.png").wait_for()
    evidence = Evidence.objects.get(visit=world.visit_a, criterion=criterion)
    assert evidence.content_type == "image/png" and evidence.original_name == "Bảng niêm yết thủ tục.png"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_keyboard_skips_to_the_content_and_hears_a_refused_score(page, live_server):
    world = ready_world()
    criterion = world.leaves[1]
    browser_login(page, live_server, "commune_a")
    page.goto(f"{live_server.url}/campaigns/visits/{world.visit_a.pk}/self-assessment/")

    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.inner_text() == "Chuyển đến nội dung" and skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    card = page.get_by_test_id(f"criterion-{criterion.code}")
    score = card.locator(f"#id_c{criterion.pk}-self_score")
    score.fill("99")
    card.get_by_test_id("save-score").click()
    error = card.locator("[role=alert]").filter(has_text="4")
    error.first.wait_for()
    score = card.locator(f"#id_c{criterion.pk}-self_score")
    assert score.get_attribute("aria-invalid") == "true"
    described = score.get_attribute("aria-describedby").split()
    error_id = error.first.get_attribute("id")
    assert error_id in described
