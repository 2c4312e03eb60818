"""Issue 4 follow-up: subjects and counted nouns, one case per error fixed on the dev half of
the figures gold. Sentences written for these tests (not taken from the data)."""
import pytest

from vnnews_nlp.figures.component import find_figures

pytestmark = pytest.mark.issue(4)


def subjects(text):
    return [(text[f.start:f.end], text[f.subject[0]:f.subject[1]] if f.subject else None)
            for f in find_figures(text)]


def subject_of(text, figure):
    got = dict(subjects(text))
    assert figure in got, f"{figure!r} not found among {list(got)}"
    return got[figure]


@pytest.mark.parametrize("text, figure, want", [
    # the phrase before a parenthesis holding only the amount
    ("Nguồn vốn đến từ nhiều kênh như vốn vay ngân hàng (hơn 20.000 tỷ đồng), kiều hối "
     "(khoảng 9.000 tỷ đồng).", "20.000 tỷ đồng", "vốn vay ngân hàng"),
    ("Nguồn vốn đến từ nhiều kênh như vốn vay ngân hàng (hơn 20.000 tỷ đồng), kiều hối "
     "(khoảng 9.000 tỷ đồng).", "9.000 tỷ đồng", "kiều hối"),
    # modifiers between the verb and the figure
    ("Năm nay, tổng sản lượng cà phê đạt trung bình 300.000 tấn/năm.", "300.000 tấn/năm",
     "tổng sản lượng cà phê"),
    ("Thủ tục cấp phép xây dựng có khi kéo dài đến 45 ngày.", "45 ngày", "Thủ tục cấp phép xây dựng"),
    ("Giá thép tăng gấp 3 lần so với năm ngoái.", "3 lần", "Giá thép"),
    # verbs that govern a figure
    ("Ngân hàng sẽ tăng lãi suất nếu giá tiêu dùng leo tới 6%.", "6%", "giá tiêu dùng"),
    # a subject longer than fourteen syllables
    ("Trong quý này, lượng hàng rau quả của các nước láng giềng nhập khẩu vào Nhật Bản bị "
     "trả lại lên tới gần 900 tấn.", "900 tấn",
     "lượng hàng rau quả của các nước láng giềng nhập khẩu vào Nhật Bản bị trả lại"),
    # a chain "tăng X lên Y": the second figure measures the same thing as the first
    ("Sáng nay, giá xăng giao tháng 8 trên thị trường Singapore giảm 5 cent xuống 60,2 USD/thùng.",
     "60,2 USD/thùng", "giá xăng giao tháng 8 trên thị trường Singapore"),
    # the phrase right before the figure, after a verb or preposition
    ("Dự án có tổng diện tích đất xây dựng 25.000 m2 gồm nhà ở và trường học.", "25.000 m2",
     "tổng diện tích đất xây dựng"),
    ("Người bán chịu thuế suất 25% hoặc theo mức phí 0,2% trên giá trị hợp đồng.", "0,2%", "mức phí"),
    ("Ông Nam cho biết, số tiền 2.000 tỷ đồng này sẽ được dùng để xây cầu.", "2.000 tỷ đồng",
     "số tiền"),
    ("Ba tỉnh đã xây xong trường học (ước kinh phí giai đoạn 2 cho các hạng mục này khoảng "
     "900 tỷ đồng).", "900 tỷ đồng", "kinh phí giai đoạn 2 cho các hạng mục này"),
    ("Số vốn vay như vậy mới chỉ đáp ứng trên 40% nhu cầu của thành phố.", "40%",
     "Số vốn vay như vậy"),
    # the measured thing after the figure
    ("Hãng bay nhận 100 triệu USD từ một quỹ và đổi lại để quỹ này nắm giữ 15% số cổ phần.",
     "15%", "số cổ phần"),
    ("Theo thỏa thuận, theo đó Nhật Bản sẽ xóa bỏ 70% hàng rào thuế quan của nước này.", "70%",
     "hàng rào thuế quan"),
    ("Các doanh nghiệp được miễn 1 năm thuế và giảm 30% số phải nộp trong 2 năm tiếp theo.",
     "30%", "số phải nộp"),
    ("Từ năm sau, các công ty niêm yết sẽ được giảm 40% thuế thu nhập phải nộp.", "40%",
     "thuế thu nhập"),
    ("Nhật Bản sẽ cắt bỏ gần một nửa mức thuế nhập khẩu của mình.", "một nửa", "mức thuế nhập khẩu"),
    # a count has no subject of its own: its unit says what is counted (issue 14's conventions)
    ("Buổi lễ tôn vinh 50 doanh nghiệp hàng Việt Nam xuất khẩu tiêu biểu trên cả nước.",
     "50 doanh nghiệp", None),
    ("Khu công nghiệp nằm trên địa bàn 3 xã Hòa Bình, Tân Lập.", "3 xã", None),
])
def test_subject(text, figure, want):
    assert subject_of(text, figure) == want


@pytest.mark.parametrize("text, figure", [
    # a part of an earlier amount is not the same thing
    ("Sản lượng chè đạt 200.000 tấn, trong đó trên 60% dùng để xuất khẩu.", "60%"),
    # a preposition or verb after the figure does not start a subject
    ("Hãng nhận được 100 triệu USD từ Công ty đầu tư Delta.", "100 triệu USD"),
    ("Vốn gồm 800 tỷ đồng vốn góp và 2.000 tỷ đồng cho các công trình thủy lợi.", "2.000 tỷ đồng"),
])
def test_no_subject(text, figure):
    assert subject_of(text, figure) is None


def test_earlier_subject_kept_without_part_marker():
    # the percent after a figure in the same sentence still inherits its subject
    text = "Xuất khẩu gạo đạt 3 tỷ USD, tăng 12% so với năm trước."
    assert subject_of(text, "12%") == "Xuất khẩu gạo"


def test_digit_class_idiom_is_not_a_count():
    text = "Lạm phát vẫn ở mức 2 con số, trong khi thành phố rao bán 17 khu đất."
    got = [(text[f.start:f.end], f.unit, f.kind) for f in find_figures(text)]
    assert got == [("17 khu đất", "khu đất", "count")]
    assert [f.unit for f in find_figures("Bảng có 12 con số may mắn.")] == ["con số"]


@pytest.mark.issue(14)
def test_a_count_has_no_subject_of_its_own():
    # "for counts without another subject, null" (docs/figures-annotation.md): the words after
    # a count ran on into verbs on real news ("học sinh nêu", "người bị thương")
    assert subject_of("Các nước thành viên phải đáp ứng 4 tiêu chuẩn chung.", "4 tiêu chuẩn") is None


def test_counted_nouns_from_the_word_segmenter():
    from vnnews_nlp.run.analyze import analyze
    from vnnews_nlp.pipeline import load

    doc = analyze("Các nước thành viên phải đáp ứng 4 tiêu chuẩn chung. Đêm nay, 30 nghệ sĩ "
                  "sẽ diễu hành qua 12 khu phố cổ.", load(components=("vnnews_figures",)))
    got = [(sp.text, sp._.figure.unit, sp._.figure.subject) for sp in doc.spans["figures"]]
    assert got == [("4 tiêu chuẩn", "tiêu chuẩn", None), ("30 nghệ sĩ", "nghệ sĩ", None),
                   ("12 khu phố", "khu phố", None)]


@pytest.mark.parametrize("text, want", [
    # a time phrase holding a figure stays out of the subject
    ("Kim ngạch xuất khẩu thủy sản trong 9 tháng đạt 6,2 tỷ USD, tăng 8% so với cùng kỳ.",
     [("9 tháng", None), ("6,2 tỷ USD", "Kim ngạch xuất khẩu thủy sản"),
      ("8%", "Kim ngạch xuất khẩu thủy sản")]),
    # an earlier figure joined by "và" does not lend its subject
    ("Công ty có 1.200 công nhân và doanh thu năm 2019 là 300 tỷ đồng.",
     [("1.200 công nhân", None), ("300 tỷ đồng", "doanh thu")]),
    ("Giá vàng SJC sáng nay ở mức 56,5 triệu đồng/lượng.", [("56,5 triệu đồng/lượng", "Giá vàng SJC")]),
    ("Tỷ lệ hộ nghèo của tỉnh giảm từ 12% xuống còn 9%.",
     [("12%", "Tỷ lệ hộ nghèo của tỉnh"), ("9%", "Tỷ lệ hộ nghèo của tỉnh")]),
    # when the time phrase is all the phrase names, it stays
    ("Năm nay tăng trưởng đạt 7%, trong khi con số của cả năm ngoái là 6,5%.",
     [("7%", "tăng trưởng"), ("6,5%", "con số của cả năm ngoái")]),
])
def test_subjects_of_a_sentence(text, want):
    assert subjects(text) == want


@pytest.mark.issue(14)
@pytest.mark.parametrize("text, want", [
    # adjectives mined from VNTC train as taking a quantity end the subject
    ("Robot khủng long nặng 85 kg.", [("85 kg", "Robot khủng long")]),
    # coordinated predicates share it
    ("Con khủng long dài 14 mét và nặng 5 tấn.", [("14 mét", "Con khủng long"), ("5 tấn", "Con khủng long")]),
])
def test_mined_predicates(text, want):
    assert subjects(text) == want
