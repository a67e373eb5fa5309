"""The last touches of a document's HTML: names kept whole, whatever their number."""

from reports.rendering import typesetting

NBSP = typesetting.NBSP


def test_the_longest_name_that_ends_on_a_word_boundary_is_tied():
    names = {"Tân Hiệp", "Tân Hiệp A", "xã Tân Hiệp A", "Nguyễn Văn An"}
    html = "<p>Tân Hiệp An, xã Tân Hiệp A và Tân Hiệp; Nguyễn Văn Anh, Nguyễn Văn An.</p>"
    assert typesetting.join_names(html, names) == (
        f"<p>Tân{NBSP}Hiệp An, xã{NBSP}Tân{NBSP}Hiệp{NBSP}A và Tân{NBSP}Hiệp; Nguyễn Văn Anh, "
        f"Nguyễn{NBSP}Văn{NBSP}An.</p>"
    )


def test_names_are_tied_in_text_only_never_in_tags_or_drawings():
    names = {"Tân Hội"}
    html = '<td title="Tân Hội">Tân Hội</td><svg><text>Tân Hội</text></svg>'
    assert typesetting.join_names(html, names) == (
        f'<td title="Tân Hội">Tân{NBSP}Hội</td><svg><text>Tân Hội</text></svg>'
    )


def test_a_province_of_hundreds_of_names_ties_each_of_them():
    names = {f"Xã Tân {n}" for n in range(300)} | {f"Tân {n}" for n in range(300)}
    html = "".join(f"<td>Xã Tân {n}</td><td>Tân {n}</td>" for n in range(300))
    expected = "".join(f"<td>Xã{NBSP}Tân{NBSP}{n}</td><td>Tân{NBSP}{n}</td>" for n in range(300))
    assert typesetting.join_names(html, names) == expected


def test_each_abbreviation_is_spelled_out_at_its_first_use_in_the_body_only():
    html = (
        "<p>UBND xã</p><!--body--><p>Kết quả CCHC của UBND xã.</p><svg><text>CCHC</text></svg>"
        "<p>Cán bộ, công chức (CBCC) và CCHC; HĐND, LĐ-TBXH.</p><p>UBND, CCHC, CBCC.</p>"
        "<!--closing--><p>UBND</p>"
    )
    assert typesetting.spell_out_abbreviations(html) == (
        "<p>UBND xã</p><!--body--><p>Kết quả cải cách hành chính (CCHC) của Ủy ban nhân dân (UBND) xã.</p>"
        "<svg><text>CCHC</text></svg><p>Cán bộ, công chức (CBCC) và CCHC; Hội đồng nhân dân (HĐND), "
        "Lao động - Thương binh và Xã hội (LĐ-TBXH).</p><p>UBND, CCHC, CBCC.</p><!--closing--><p>UBND</p>"
    )
