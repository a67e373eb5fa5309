"""What the demo team wrote: purposes, strengths, shortcomings, recommendations, a question."""

PURPOSE = (
    "Đánh giá kết quả thực hiện công tác cải cách hành chính của UBND các xã, thị trấn; "
    "kịp thời chấn chỉnh, khắc phục hạn chế, tồn tại; nâng cao chất lượng phục vụ người dân."
)
SCOPE = (
    "Kiểm tra 7 lĩnh vực công tác cải cách hành chính và công tác theo dõi thi hành pháp luật "
    "về xử lý vi phạm hành chính tại 11 xã, thị trấn."
)

STRENGTH_AREAS = {
    "Cơ sở vật chất tại Bộ phận một cửa đáp ứng nhu cầu giải quyết thủ tục hành chính.": "procedures",
    "Thực hiện giải quyết thủ tục hành chính theo tiêu chuẩn ISO 9001:2015.": "modernization",
    "Cán bộ, công chức được trang bị máy tính, máy scan và sử dụng thư điện tử công vụ để trao đổi văn bản.": "modernization",
    "Phần mềm một cửa điện tử được áp dụng, cơ bản đáp ứng yêu cầu hiện đại hóa nền hành chính.": "modernization",
    "Công tác đào tạo cán bộ được quan tâm; công chức chưa có trình độ đại học đều được cử đi học.": "apparatus",
    "Ban hành kế hoạch cải cách hành chính năm kịp thời, phân công rõ trách nhiệm.": "direction",
}
STRENGTHS = list(STRENGTH_AREAS)

SHORTCOMINGS = [
    (
        "procedures",
        "Niêm yết thủ tục hành chính tại Bộ phận một cửa chưa cập nhật theo các quyết định công bố mới.",
        "Rà soát, niêm yết đầy đủ các thủ tục hành chính đang còn hiệu lực.",
    ),
    (
        "apparatus",
        "Còn công chức chưa đạt chuẩn trình độ chuyên môn theo quy định.",
        "Cử công chức chưa đạt chuẩn đi đào tạo trình độ đại học phù hợp vị trí việc làm.",
    ),
    (
        "direction",
        "Báo cáo cải cách hành chính quý gửi về huyện chưa đúng thời hạn.",
        "Chấp hành nghiêm thời hạn gửi báo cáo định kỳ.",
    ),
    (
        "institutions",
        "Chưa thực hiện tự kiểm tra, rà soát văn bản quy phạm pháp luật do xã ban hành.",
        "Tổ chức rà soát văn bản và báo cáo kết quả về Phòng Tư pháp.",
    ),
    (
        "finance",
        "Quy chế chi tiêu nội bộ chưa được sửa đổi, bổ sung kịp thời.",
        "Sửa đổi quy chế chi tiêu nội bộ phù hợp quy định hiện hành.",
    ),
    (
        "modernization",
        "Tỷ lệ văn bản trao đổi dưới dạng điện tử còn thấp; một số công chức chưa dùng thư điện tử công vụ.",
        "Tăng cường gửi, nhận văn bản điện tử; yêu cầu 100% công chức sử dụng thư điện tử công vụ.",
    ),
    (
        "emulation",
        "Hồ sơ xử phạt vi phạm hành chính lập chưa đầy đủ biểu mẫu theo quy định.",
        "Hoàn thiện hồ sơ xử phạt theo đúng biểu mẫu quy định.",
    ),
]

RECOMMENDATIONS = [
    ("procedures", "Tăng cường khảo sát mức độ hài lòng của người dân đối với việc giải quyết thủ tục hành chính."),
    ("direction", "Đa dạng hóa hình thức tuyên truyền cải cách hành chính trên hệ thống loa truyền thanh cơ sở."),
    ("modernization", "Duy trì đánh giá nội bộ hệ thống quản lý chất lượng ISO 9001:2015 định kỳ."),
]

QUESTION = "Hồ sơ trễ hạn do cơ quan cấp huyện xử lý chậm thì xã có phải ban hành văn bản xin lỗi không?"
ANSWER = (
    "Cơ quan để xảy ra trễ hạn ban hành văn bản xin lỗi; xã chỉ xin lỗi khi việc trễ hạn phát sinh "
    "tại xã, và lưu văn bản xin lỗi trong hồ sơ."
)
QUESTION_B = "Công chức đang học đại học (chưa tốt nghiệp) có được tính là đạt chuẩn trình độ không?"
ANSWER_B = (
    "Chưa được tính là đạt chuẩn cho đến khi có bằng tốt nghiệp; xã lập danh sách công chức đang học, "
    "thời gian dự kiến tốt nghiệp và gửi Phòng Nội vụ theo dõi."
)
