"""Units, departments and people of the demo. Names other than the team lead's are invented."""

import datetime as dt

PROVINCE = {"code": "91", "name": "Kiên Giang", "kind": "province", "valid_to": dt.date(2025, 6, 30)}
SUCCESSOR_PROVINCE = {"code": "89", "name": "An Giang", "kind": "province"}
PROVINCE_MERGER = {"effective_on": dt.date(2025, 7, 1), "legal_basis": "Nghị quyết số 202/2025/QH15 của Quốc hội"}
DISTRICT = {"code": "904", "name": "Tân Hiệp", "kind": "district", "valid_to": dt.date(2025, 6, 30)}

# (code, name, kind). Commune codes are illustrative.
COMMUNES = [
    ("30970", "Tân Hiệp", "township"),
    ("30973", "Tân Hội", "commune"),
    ("30976", "Tân Thành", "commune"),
    ("30979", "Tân Hiệp B", "commune"),
    ("30982", "Tân Hòa", "commune"),
    ("30985", "Thạnh Đông B", "commune"),
    ("30988", "Thạnh Đông", "commune"),
    ("30991", "Tân Hiệp A", "commune"),
    ("30994", "Tân An", "commune"),
    ("30997", "Thạnh Đông A", "commune"),
    ("31000", "Thạnh Trị", "commune"),
]
COMMUNE_A = "Thạnh Đông A"
COMMUNE_B = "Tân Hội"

# key, name, short name, standing body
DEPARTMENTS = [
    ("office", "Văn phòng HĐND-UBND huyện", "Văn phòng HĐND-UBND", False),
    ("home_affairs", "Phòng Nội vụ", "Nội vụ", True),
    ("justice", "Phòng Tư pháp", "Tư pháp", False),
    ("labour", "Phòng Lao động - Thương binh và Xã hội", "LĐ-TBXH", False),
    ("culture", "Phòng Văn hóa và Thông tin", "Văn hóa và Thông tin", False),
    ("environment", "Phòng Tài nguyên và Môi trường", "Tài nguyên và Môi trường", False),
    ("police", "Công an huyện", "Công an huyện", False),
]

# Six groups over seven areas, as in the article.
GROUPS = [
    ("Nhóm 1", ["apparatus"]),
    ("Nhóm 2", ["direction"]),
    ("Nhóm 3", ["institutions"]),
    ("Nhóm 4", ["procedures", "modernization"]),
    ("Nhóm 5", ["finance"]),
    ("Nhóm 6", ["emulation"]),
]

# username, full name, position, department key, team role, group name (None: whole team)
TEAM = [
    ("lead", "Trần Minh Vũ", "Phó Chủ tịch UBND huyện", None, "lead", None),
    ("deputy", "Nguyễn Văn Hùng", "Trưởng phòng Nội vụ", "home_affairs", "deputy", "Nhóm 1"),
    ("secretariat", "Nguyễn Thị Thu Hà", "Chuyên viên Phòng Nội vụ", "home_affairs", "secretary", "Nhóm 1"),
    ("member_office", "Lâm Quốc Bảo", "Phó Chánh Văn phòng HĐND-UBND huyện", "office", "member", "Nhóm 2"),
    ("member_justice", "Trương Thị Mỹ", "Trưởng phòng Tư pháp", "justice", "member", "Nhóm 3"),
    ("inspector", "Lê Văn Phúc", "Chuyên viên Văn phòng HĐND-UBND huyện", "office", "member", "Nhóm 4"),
    ("member_culture", "Đỗ Thanh Tâm", "Phó Trưởng phòng Văn hóa và Thông tin", "culture", "member", "Nhóm 4"),
    (
        "member_environment",
        "Huỳnh Ngọc Sơn",
        "Phó Trưởng phòng Tài nguyên và Môi trường",
        "environment",
        "member",
        "Nhóm 5",
    ),
    ("member_labour", "Phan Thị Kim Yến", "Phó Trưởng phòng LĐ-TBXH", "labour", "member", "Nhóm 6"),
    ("member_police", "Võ Hoàng Nam", "Đội trưởng, Công an huyện", "police", "member", "Nhóm 6"),
]

# username, full name, position, role, unit name (None: the district)
ACCOUNTS = [
    ("admin", "Quản trị hệ thống", "Quản trị viên", None, None),
    ("secretariat", "Nguyễn Thị Thu Hà", "Chuyên viên Phòng Nội vụ", "secretariat", None),
    ("lead", "Trần Minh Vũ", "Phó Chủ tịch UBND huyện", "team_lead", None),
    ("inspector", "Lê Văn Phúc", "Chuyên viên Văn phòng HĐND-UBND huyện", "inspector", None),
    ("viewer", "Mai Văn Lực", "Chủ tịch UBND huyện", "viewer", None),
    ("commune_a", "Phạm Thị Lan", "Công chức Văn phòng - Thống kê xã Thạnh Đông A", "commune_staff", COMMUNE_A),
    ("commune_a_lead", "Huỳnh Văn Tâm", "Chủ tịch UBND xã Thạnh Đông A", "commune_lead", COMMUNE_A),
    ("commune_b", "Đặng Văn Khoa", "Công chức Văn phòng - Thống kê xã Tân Hội", "commune_staff", COMMUNE_B),
]
