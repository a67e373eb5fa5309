"""Vietnamese names in file names and slugs: every letter and tone written in ASCII, Đ as D."""

import unicodedata

import pytest

from cchc_inspect.transliteration import ascii_slug, transliterate
from inspections import uploads

# Each base vowel with its five tones (huyền, hỏi, ngã, sắc, nặng), as typed (NFC).
VOWELS = {
    "a": "aàảãáạ",
    "ă": "ăằẳẵắặ",
    "â": "âầẩẫấậ",
    "e": "eèẻẽéẹ",
    "ê": "êềểễếệ",
    "i": "iìỉĩíị",
    "o": "oòỏõóọ",
    "ô": "ôồổỗốộ",
    "ơ": "ơờởỡớợ",
    "u": "uùủũúụ",
    "ư": "ưừửữứự",
    "y": "yỳỷỹýỵ",
}
ASCII_VOWEL = {"a": "a", "ă": "a", "â": "a", "e": "e", "ê": "e", "i": "i", "o": "o", "ô": "o", "ơ": "o"}
ASCII_VOWEL |= {"u": "u", "ư": "u", "y": "y"}
CONSONANTS = "bcdghklmnpqrstvx"

CASES = [(letter, ASCII_VOWEL[base]) for base, letters in VOWELS.items() for letter in letters]
CASES += [(letter.upper(), ASCII_VOWEL[base].upper()) for base, letters in VOWELS.items() for letter in letters]
CASES += [(c, c) for c in CONSONANTS] + [(c.upper(), c.upper()) for c in CONSONANTS]
CASES += [("đ", "d"), ("Đ", "D")]


def test_the_table_holds_the_89_vietnamese_letters_with_their_tones_in_both_cases():
    assert len(CASES) == 2 * 89


@pytest.mark.parametrize(("letter", "expected"), CASES)
def test_every_vietnamese_letter_becomes_its_ascii_letter(letter, expected):
    assert transliterate(letter) == expected
    # Text pasted from older software arrives decomposed (NFD); it reads the same.
    assert transliterate(unicodedata.normalize("NFD", letter)) == expected


def test_names_keep_their_d_and_lose_their_tones():
    assert transliterate("Thạnh Đông A") == "Thanh Dong A"
    assert ascii_slug("Thạnh Đông A") == "thanh-dong-a"
    assert ascii_slug("ĐẶNG VĂN ĐỨC, thị trấn Tân Hiệp") == "dang-van-duc-thi-tran-tan-hiep"
    assert ascii_slug("Ủy ban nhân dân huyện Tân Hiệp") == "uy-ban-nhan-dan-huyen-tan-hiep"
    # The eth some keyboards type for Đ.
    assert transliterate("Ðông") == "Dong"


def test_the_evidence_download_fallback_name_uses_the_same_transliteration():
    assert uploads.ascii_file_name("Đơn đề nghị “gấp” của xã Thạnh Đông.pdf") == "Don de nghi gap cua xa Thanh Dong.pdf"
    assert uploads.ascii_file_name("Ưu điểm – Đợt 1.docx") == "Uu diem  Dot 1.docx"


@pytest.mark.django_db
def test_the_dashboard_export_is_named_after_the_authority_in_ascii(world, persona_client):
    from django.urls import reverse

    from communes.models import AdministrativeUnit

    AdministrativeUnit.objects.filter(pk=world.district.pk).update(name="Đầm Dơi")
    response = persona_client("lead").get(reverse("inspections:plan_dashboard_export", args=[world.plan.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="ket-qua-kiem-tra-2020-dam-doi.xlsx"'
