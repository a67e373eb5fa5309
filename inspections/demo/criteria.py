"""The demo criteria of Tân Hiệp district: seven review areas, 100 points.

Illustrative figures modelled on the sets provinces publish; they are data of
the demo only, never rules of the software.
"""

from decimal import Decimal as D

# (code, number, title, English title)
AREAS = [
    (
        "apparatus",
        "1",
        "Cải cách tổ chức bộ máy; xây dựng và nâng cao chất lượng đội ngũ CBCC",
        "Organisation and civil-servant quality",
    ),
    ("direction", "2", "Công tác chỉ đạo, điều hành cải cách hành chính", "Direction and administration of reform"),
    ("institutions", "3", "Cải cách thể chế", "Institutional reform"),
    (
        "procedures",
        "4",
        "Cải cách thủ tục hành chính; cơ chế một cửa, một cửa liên thông",
        "Administrative procedures, one-stop shop",
    ),
    ("finance", "5", "Cải cách tài chính công", "Public finance reform"),
    ("modernization", "6", "Hiện đại hóa nền hành chính", "Modernisation"),
    (
        "emulation",
        "7",
        "Thi đua khen thưởng; quản lý nhà nước về theo dõi thi hành pháp luật về xử lý vi phạm hành chính",
        "Emulation and rewards; monitoring of the law on administrative violations",
    ),
]

TWO_STEP = (
    "Thực hiện đầy đủ, đúng hạn: điểm tối đa; thực hiện chưa đầy đủ hoặc chậm: một nửa số điểm; không thực hiện: 0."
)

# area code -> [(code, title, max, guidance, evidence, [children as (code, title, max, guidance, evidence, options)])]
CRITERIA_2020 = {
    "apparatus": [
        (
            "1.1",
            "Thực hiện quy định về tổ chức bộ máy",
            D("5"),
            "",
            "",
            [
                (
                    "1.1.1",
                    "Bố trí công chức đúng vị trí việc làm được phê duyệt",
                    D("2.5"),
                    TWO_STEP,
                    "Quyết định phân công nhiệm vụ công chức",
                    None,
                ),
                (
                    "1.1.2",
                    "Thực hiện phân công, phân cấp quản lý theo quy định",
                    D("2.5"),
                    TWO_STEP,
                    "Quy chế làm việc của UBND xã",
                    None,
                ),
            ],
        ),
        (
            "1.2",
            "Chất lượng đội ngũ cán bộ, công chức cấp xã",
            D("6"),
            "",
            "",
            [
                (
                    "1.2.1",
                    "Tỷ lệ cán bộ, công chức đạt chuẩn trình độ chuyên môn",
                    D("3"),
                    "100%: 3 điểm; từ 80% đến dưới 100%: 2 điểm; dưới 80%: 0 điểm.",
                    "Danh sách trích ngang cán bộ, công chức",
                    [
                        {"label": "100%", "score": "3"},
                        {"label": "Từ 80% đến dưới 100%", "score": "2"},
                        {"label": "Dưới 80%", "score": "0"},
                    ],
                ),
                (
                    "1.2.2",
                    "Cử cán bộ, công chức chưa đạt chuẩn đi đào tạo, bồi dưỡng",
                    D("3"),
                    TWO_STEP,
                    "Quyết định cử đi học; danh sách học viên",
                    None,
                ),
            ],
        ),
        (
            "1.3",
            "Chấp hành kỷ luật, kỷ cương hành chính",
            D("5"),
            "",
            "",
            [
                (
                    "1.3.1",
                    "Thực hiện quy chế làm việc, nội quy cơ quan",
                    D("2.5"),
                    TWO_STEP,
                    "Nội quy cơ quan; sổ theo dõi",
                    None,
                ),
                (
                    "1.3.2",
                    "Không có cán bộ, công chức bị xử lý kỷ luật trong năm",
                    D("2.5"),
                    "Không có: 2,5 điểm; có: 0 điểm.",
                    "Báo cáo công tác cán bộ",
                    None,
                ),
            ],
        ),
    ],
    "direction": [
        (
            "2.1",
            "Kế hoạch cải cách hành chính năm",
            D("5"),
            "",
            "",
            [
                (
                    "2.1.1",
                    "Ban hành kế hoạch CCHC năm đúng thời hạn",
                    D("2"),
                    "Ban hành trong tháng 01: 2 điểm; ban hành sau tháng 01 hoặc không ban hành: 0 điểm.",
                    "Kế hoạch CCHC năm của UBND xã",
                    [
                        {"label": "Ban hành trong tháng 01", "score": "2"},
                        {"label": "Ban hành sau tháng 01 hoặc không ban hành", "score": "0"},
                    ],
                ),
                (
                    "2.1.2",
                    "Mức độ hoàn thành kế hoạch CCHC",
                    D("3"),
                    "Hoàn thành 100%: 3 điểm; từ 80% đến dưới 100%: 2 điểm; dưới 80%: 0 điểm.",
                    "Báo cáo kết quả thực hiện kế hoạch",
                    None,
                ),
            ],
        ),
        (
            "2.2",
            "Báo cáo cải cách hành chính định kỳ",
            D("4"),
            "",
            "",
            [
                (
                    "2.2.1",
                    "Báo cáo quý, 6 tháng đầy đủ, đúng hạn",
                    D("2"),
                    "Mỗi báo cáo chậm hoặc thiếu trừ 0,5 điểm.",
                    "Các báo cáo quý, 6 tháng",
                    None,
                ),
                ("2.2.2", "Báo cáo năm đầy đủ, đúng hạn", D("2"), TWO_STEP, "Báo cáo năm", None),
            ],
        ),
        (
            "2.3",
            "Tuyên truyền cải cách hành chính",
            D("5"),
            "",
            "",
            [
                ("2.3.1", "Ban hành kế hoạch tuyên truyền CCHC", D("2"), TWO_STEP, "Kế hoạch tuyên truyền", None),
                (
                    "2.3.2",
                    "Đa dạng hình thức tuyên truyền (loa truyền thanh, pa-nô, hội nghị)",
                    D("3"),
                    "Từ 3 hình thức trở lên: 3 điểm; 2 hình thức: 2 điểm; 1 hình thức: 1 điểm.",
                    "Hình ảnh, nội dung tin bài tuyên truyền",
                    None,
                ),
            ],
        ),
    ],
    "institutions": [
        (
            "3.1",
            "Ban hành văn bản quy phạm pháp luật",
            D("4"),
            "",
            "",
            [
                (
                    "3.1.1",
                    "Thực hiện đúng trình tự, thủ tục ban hành văn bản QPPL",
                    D("2"),
                    TWO_STEP,
                    "Hồ sơ ban hành văn bản",
                    None,
                ),
                (
                    "3.1.2",
                    "Tự kiểm tra, rà soát văn bản QPPL do xã ban hành",
                    D("2"),
                    TWO_STEP,
                    "Báo cáo kết quả rà soát",
                    None,
                ),
            ],
        ),
        (
            "3.2",
            "Tổ chức thi hành pháp luật",
            D("4"),
            "",
            "",
            [
                ("3.2.1", "Ban hành kế hoạch phổ biến, giáo dục pháp luật", D("2"), TWO_STEP, "Kế hoạch PBGDPL", None),
                (
                    "3.2.2",
                    "Xây dựng xã đạt chuẩn tiếp cận pháp luật",
                    D("2"),
                    "Đạt chuẩn: 2 điểm; không đạt: 0 điểm.",
                    "Quyết định công nhận",
                    None,
                ),
            ],
        ),
        (
            "3.3",
            "Hòa giải ở cơ sở",
            D("4"),
            "",
            "",
            [
                ("3.3.1", "Kiện toàn tổ hòa giải ở các ấp", D("2"), TWO_STEP, "Quyết định kiện toàn tổ hòa giải", None),
                (
                    "3.3.2",
                    "Tỷ lệ hòa giải thành",
                    D("2"),
                    "Từ 80% trở lên: 2 điểm; dưới 80%: 1 điểm.",
                    "Sổ theo dõi hòa giải",
                    None,
                ),
            ],
        ),
    ],
    "procedures": [
        (
            "4.1",
            "Công khai thủ tục hành chính",
            D("6"),
            "",
            "",
            [
                (
                    "4.1.1",
                    "Niêm yết đầy đủ, đúng quy định TTHC tại Bộ phận một cửa",
                    D("3"),
                    TWO_STEP,
                    "Hình ảnh nơi niêm yết; danh mục TTHC",
                    None,
                ),
                (
                    "4.1.2",
                    "Công khai địa chỉ tiếp nhận phản ánh, kiến nghị",
                    D("3"),
                    TWO_STEP,
                    "Hình ảnh niêm yết",
                    None,
                ),
            ],
        ),
        (
            "4.2",
            "Thực hiện cơ chế một cửa, một cửa liên thông",
            D("8"),
            "",
            "",
            [
                (
                    "4.2.1",
                    "Bộ phận một cửa bố trí đúng quy định về diện tích, trang thiết bị",
                    D("3"),
                    TWO_STEP,
                    "Biên bản kiểm tra cơ sở vật chất",
                    None,
                ),
                (
                    "4.2.2",
                    "Tỷ lệ hồ sơ TTHC giải quyết đúng hạn",
                    D("3"),
                    "100%: 3 điểm; từ 95% đến dưới 100%: 2 điểm; dưới 95%: 0 điểm.",
                    "Sổ theo dõi hồ sơ; báo cáo từ phần mềm một cửa điện tử",
                    None,
                ),
                (
                    "4.2.3",
                    "Xin lỗi người dân đối với hồ sơ trễ hạn",
                    D("2"),
                    "Mỗi hồ sơ trễ hạn không có văn bản xin lỗi trừ 0,25 điểm.",
                    "Văn bản xin lỗi",
                    None,
                ),
            ],
        ),
        (
            "4.3",
            "Tiếp nhận, xử lý phản ánh, kiến nghị",
            D("6"),
            "",
            "",
            [
                (
                    "4.3.1",
                    "Xử lý phản ánh, kiến nghị của tổ chức, cá nhân đúng thời hạn",
                    D("3"),
                    TWO_STEP,
                    "Sổ theo dõi phản ánh, kiến nghị",
                    None,
                ),
                (
                    "4.3.2",
                    "Khảo sát mức độ hài lòng của người dân",
                    D("3"),
                    TWO_STEP,
                    "Phiếu khảo sát; báo cáo tổng hợp",
                    None,
                ),
            ],
        ),
    ],
    "finance": [
        (
            "5.1",
            "Thực hiện dự toán ngân sách",
            D("4"),
            "",
            "",
            [
                ("5.1.1", "Công khai dự toán, quyết toán ngân sách xã", D("2"), TWO_STEP, "Quyết định công khai", None),
                ("5.1.2", "Thực hiện quy chế chi tiêu nội bộ", D("2"), TWO_STEP, "Quy chế chi tiêu nội bộ", None),
            ],
        ),
        (
            "5.2",
            "Quản lý tài sản công",
            D("3"),
            "",
            "",
            [
                (
                    "5.2.1",
                    "Quản lý, sử dụng tài sản công đúng quy định",
                    D("1.5"),
                    TWO_STEP,
                    "Sổ theo dõi tài sản",
                    None,
                ),
                ("5.2.2", "Kiểm kê tài sản cuối năm", D("1.5"), TWO_STEP, "Biên bản kiểm kê", None),
            ],
        ),
        (
            "5.3",
            "Thực hiện cơ chế tự chủ",
            D("3"),
            "",
            "",
            [
                (
                    "5.3.1",
                    "Thực hiện chế độ khoán kinh phí hành chính",
                    D("1.5"),
                    TWO_STEP,
                    "Quyết định giao khoán",
                    None,
                ),
                ("5.3.2", "Tiết kiệm chi thường xuyên", D("1.5"), TWO_STEP, "Báo cáo quyết toán", None),
            ],
        ),
    ],
    "modernization": [
        (
            "6.1",
            "Ứng dụng công nghệ thông tin",
            D("6"),
            "",
            "",
            [
                (
                    "6.1.1",
                    "Sử dụng phần mềm một cửa điện tử trong giải quyết TTHC",
                    D("3"),
                    TWO_STEP,
                    "Báo cáo từ phần mềm một cửa điện tử",
                    None,
                ),
                (
                    "6.1.2",
                    "Tỷ lệ văn bản trao đổi dưới dạng điện tử",
                    D("3"),
                    "Từ 80% trở lên: 3 điểm; từ 50% đến dưới 80%: 1,5 điểm; dưới 50%: 0 điểm.",
                    "Báo cáo từ phần mềm quản lý văn bản",
                    None,
                ),
            ],
        ),
        (
            "6.2",
            "Áp dụng hệ thống quản lý chất lượng theo tiêu chuẩn ISO 9001:2015",
            D("5"),
            "",
            "",
            [
                (
                    "6.2.1",
                    "Áp dụng ISO 9001:2015 cho các thủ tục hành chính",
                    D("2.5"),
                    TWO_STEP,
                    "Quyết định công bố hệ thống quản lý chất lượng",
                    None,
                ),
                (
                    "6.2.2",
                    "Duy trì, cải tiến hệ thống (đánh giá nội bộ, xem xét của lãnh đạo)",
                    D("2.5"),
                    TWO_STEP,
                    "Báo cáo đánh giá nội bộ",
                    None,
                ),
            ],
        ),
        (
            "6.3",
            "Trang thiết bị và thư điện tử công vụ",
            D("5"),
            "",
            "",
            [
                (
                    "6.3.1",
                    "Cán bộ, công chức được trang bị máy tính, máy scan",
                    D("2.5"),
                    TWO_STEP,
                    "Sổ theo dõi tài sản",
                    None,
                ),
                (
                    "6.3.2",
                    "Sử dụng thư điện tử công vụ trong trao đổi công việc",
                    D("2.5"),
                    TWO_STEP,
                    "Danh sách hộp thư công vụ",
                    None,
                ),
            ],
        ),
    ],
    "emulation": [
        (
            "7.1",
            "Công tác thi đua, khen thưởng",
            D("4"),
            "",
            "",
            [
                (
                    "7.1.1",
                    "Ban hành kế hoạch phát động phong trào thi đua",
                    D("2"),
                    TWO_STEP,
                    "Kế hoạch phát động thi đua",
                    None,
                ),
                ("7.1.2", "Khen thưởng kịp thời, đúng đối tượng", D("2"), TWO_STEP, "Quyết định khen thưởng", None),
            ],
        ),
        (
            "7.2",
            "Phát hiện, nhân rộng điển hình tiên tiến",
            D("2"),
            "",
            "",
            [
                (
                    "7.2.1",
                    "Phát hiện điển hình tiên tiến trong các phong trào thi đua",
                    D("1"),
                    TWO_STEP,
                    "Báo cáo điển hình",
                    None,
                ),
                (
                    "7.2.2",
                    "Tuyên truyền, nhân rộng điển hình tiên tiến",
                    D("1"),
                    TWO_STEP,
                    "Tin bài tuyên truyền",
                    None,
                ),
            ],
        ),
        (
            "7.3",
            "Theo dõi thi hành pháp luật về xử lý vi phạm hành chính",
            D("6"),
            "",
            "",
            [
                (
                    "7.3.1",
                    "Ban hành kế hoạch theo dõi tình hình thi hành pháp luật về xử lý VPHC",
                    D("2"),
                    TWO_STEP,
                    "Kế hoạch theo dõi",
                    None,
                ),
                (
                    "7.3.2",
                    "Lập hồ sơ xử phạt vi phạm hành chính đúng quy định",
                    D("2"),
                    TWO_STEP,
                    "Hồ sơ xử phạt",
                    None,
                ),
                (
                    "7.3.3",
                    "Báo cáo công tác xử lý vi phạm hành chính đúng hạn",
                    D("2"),
                    TWO_STEP,
                    "Báo cáo định kỳ",
                    None,
                ),
            ],
        ),
    ],
}


def criteria_2019():
    """The 2019 set: no apology rule yet (4.2.3), and more weight on the one-stop software (6.1.1)."""
    data = {area: [list(c) for c in criteria] for area, criteria in CRITERIA_2020.items()}
    procedures = data["procedures"]
    one_stop = procedures[1]
    one_stop[2] = D("6")
    one_stop[5] = [child for child in one_stop[5] if child[0] != "4.2.3"]
    modern = data["modernization"][0]
    modern[2] = D("8")
    modern[5] = [("6.1.1", modern[5][0][1], D("5"), modern[5][0][3], modern[5][0][4], None), modern[5][1]]
    return {area: [tuple(c) for c in criteria] for area, criteria in data.items()}


BANDS_2019 = [
    ("Tốt", D("90"), "success"),
    ("Khá", D("70"), "primary"),
    ("Trung bình", D("50"), "warning"),
    ("Kém", D("0"), "danger"),
]
BANDS_2020 = [("Xuất sắc", D("95"), "info")] + BANDS_2019
