"""What the generated catalogue is made of: the national OCOP star mix, each group's share, the
product kinds of every subcategory with their sizes and prices, and the producers' names."""

from backend.ocop.models import ProducerType, ProductGroup

STAR_WEIGHTS = {3: 74, 4: 25, 5: 1}
SCORE_BANDS = {3: (50, 69), 4: (70, 89), 5: (90, 100)}
EXPIRED_SHARE = 0.05  # certificates past their 36 months: no star shown
INTL_SHARE = 0.2
SHOWROOM_SHARE = 0.3
OUT_OF_STOCK_SHARE = 0.05  # sold out everywhere: listed, but not for sale
# Share of each OCOP group in the national catalogue (food dominates).
GROUP_WEIGHTS = {
    "thuc-pham": 70,
    "do-uong": 10,
    "duoc-lieu": 8,
    "thu-cong-my-nghe": 7,
    "sinh-vat-canh": 3,
    "du-lich": 2,
}
# The demo shop's few hundred products: every group and every star filter must fill a page, so
# the small groups and the 5★ are given more room than in the national mix (the order stays).
DEMO_GROUP_WEIGHTS = {
    "thuc-pham": 40,
    "do-uong": 14,
    "duoc-lieu": 14,
    "thu-cong-my-nghe": 14,
    "sinh-vat-canh": 9,
    "du-lich": 9,
}
DEMO_STAR_WEIGHTS = {3: 60, 4: 32, 5: 8}
CERTIFICATION_GROUP = {
    "thuc-pham": ProductGroup.FOOD,
    "do-uong": ProductGroup.DRINKS,
    "duoc-lieu": ProductGroup.HERBS,
    "thu-cong-my-nghe": ProductGroup.HANDICRAFTS,
    "sinh-vat-canh": ProductGroup.ORNAMENTALS,
    "du-lich": ProductGroup.TOURISM,
}
# Variant sizes: (variant attribute, [(value slug, grams or ml)])
SIZES = {
    "grain": ("weight", [("2-kg", 2000), ("5-kg", 5000), ("10-kg", 10000)]),
    "small": ("weight", [("100-g", 100), ("200-g", 200), ("500-g", 500)]),
    "medium": ("weight", [("250-g", 250), ("500-g", 500), ("1-kg", 1000)]),
    "liquid": ("volume", [("250-ml", 250), ("500-ml", 500), ("1-l", 1000)]),
    "drink": ("volume", [("330-ml", 330), ("500-ml", 500), ("750-ml", 750)]),
    "single": (None, [("", 1000)]),
}
PRODUCT_TYPE = {  # (group, variant attribute) -> product type slug
    ("thuc-pham", "weight"): "thuc-pham-dong-goi",
    ("thuc-pham", "volume"): "thuc-pham-dang-long",
    ("thuc-pham", None): "thuc-pham-dong-goi",
    ("do-uong", "volume"): "do-uong",
    ("duoc-lieu", "weight"): "duoc-lieu",
    ("duoc-lieu", None): "duoc-lieu",
    ("thu-cong-my-nghe", None): "thu-cong-my-nghe",
    ("sinh-vat-canh", None): "sinh-vat-canh",
    ("du-lich", None): "dich-vu-du-lich",
}
# subcategory -> [(Vietnamese name, English name, price of the smallest size in VND, sizes,
# packaging)]
KINDS = {
    "gao-ngu-coc": [
        ("Gạo tám thơm", "Fragrant Tám rice", 40_000, "grain", "tui"),
        ("Gạo nếp cái hoa vàng", "Yellow-flower sticky rice", 50_000, "grain", "tui"),
        ("Gạo ST25", "ST25 rice", 60_000, "grain", "bao"),
        ("Gạo lứt đỏ", "Red brown rice", 45_000, "grain", "tui"),
    ],
    "nuoc-mam-gia-vi": [
        ("Nước mắm cốt", "Premium fish sauce", 45_000, "liquid", "chai"),
        ("Tương ớt", "Chili sauce", 15_000, "liquid", "chai"),
        ("Muối tôm", "Shrimp salt", 20_000, "small", "hu"),
        ("Hạt tiêu đen", "Black pepper", 35_000, "small", "tui"),
    ],
    "dau-an": [
        ("Dầu lạc nguyên chất", "Pure peanut oil", 50_000, "liquid", "chai"),
        ("Dầu vừng", "Sesame oil", 60_000, "liquid", "chai"),
        ("Dầu dừa ép lạnh", "Cold-pressed coconut oil", 55_000, "liquid", "chai"),
    ],
    "che-tra": [
        ("Chè búp", "Green tea buds", 60_000, "small", "hop"),
        ("Trà shan tuyết", "Shan tuyết tea", 120_000, "small", "hop"),
        ("Trà sen", "Lotus tea", 90_000, "small", "hop"),
    ],
    "ca-phe": [
        ("Cà phê rang xay", "Ground roasted coffee", 70_000, "medium", "tui"),
        ("Cà phê hạt Robusta", "Robusta coffee beans", 65_000, "medium", "tui"),
    ],
    "mat-ong": [
        ("Mật ong hoa nhãn", "Longan blossom honey", 80_000, "medium", "hu"),
        ("Mật ong rừng", "Wild honey", 150_000, "medium", "chai"),
    ],
    "thit-hai-san-che-bien": [
        ("Giò bò", "Beef sausage", 90_000, "medium", "hop"),
        ("Mực khô", "Dried squid", 180_000, "small", "tui"),
        ("Chả cá", "Fish cake", 60_000, "medium", "hop"),
        ("Tôm khô", "Dried shrimp", 150_000, "small", "tui"),
    ],
    "banh-keo-dac-san": [
        ("Bánh cốm", "Green rice cake", 30_000, "small", "hop"),
        ("Kẹo dừa", "Coconut candy", 25_000, "small", "hop"),
        ("Bánh đa vừng", "Sesame rice crackers", 20_000, "small", "tui"),
    ],
    "trai-cay-nong-san": [
        ("Bưởi da xanh", "Green-skin pomelo", 60_000, "single", "khong-dong-goi"),
        ("Vải thiều sấy", "Dried lychee", 70_000, "medium", "tui"),
        ("Miến dong", "Arrowroot noodles", 35_000, "medium", "tui"),
    ],
    "ruou": [
        ("Rượu nếp cái", "Sticky rice wine", 80_000, "drink", "chai"),
        ("Rượu ngô men lá", "Leaf-yeast corn liquor", 90_000, "drink", "chai"),
        ("Rượu sim", "Rose myrtle wine", 100_000, "drink", "chai"),
    ],
    "nuoc-khoang": [("Nước khoáng thiên nhiên", "Natural mineral water", 8_000, "drink", "chai")],
    "nuoc-ep-giai-khat": [
        ("Nước cốt chanh leo", "Passion fruit juice", 30_000, "drink", "chai"),
        ("Nước ép dứa", "Pineapple juice", 25_000, "drink", "lon"),
    ],
    "thuc-pham-chuc-nang": [
        ("Tinh bột nghệ", "Turmeric starch", 90_000, "small", "hu"),
        ("Cao atiso", "Artichoke extract", 120_000, "small", "hu"),
    ],
    "my-pham-thao-duoc": [
        ("Xà phòng thảo dược", "Herbal soap", 35_000, "single", "hop"),
        ("Dầu gội bồ kết", "Soapberry shampoo", 80_000, "single", "chai"),
    ],
    "tinh-dau": [
        ("Tinh dầu sả chanh", "Lemongrass essential oil", 60_000, "single", "chai"),
        ("Tinh dầu quế", "Cinnamon essential oil", 70_000, "single", "chai"),
    ],
    "duoc-lieu-kho": [
        ("Trà hoa vàng", "Golden camellia tea", 200_000, "small", "hop"),
        ("Hà thủ ô", "Fo-ti root", 150_000, "small", "tui"),
    ],
    "do-gia-dung": [
        ("Rổ tre đan", "Woven bamboo basket", 80_000, "single", "khong-dong-goi"),
        ("Chiếu cói", "Sedge mat", 250_000, "single", "khong-dong-goi"),
        ("Nồi đất", "Clay pot", 120_000, "single", "hop"),
    ],
    "do-trang-tri": [
        ("Tranh thêu tay", "Hand embroidery", 600_000, "single", "hop"),
        ("Bình gốm men lam", "Blue-glaze vase", 450_000, "single", "hop"),
        ("Đèn lồng tre", "Bamboo lantern", 150_000, "single", "hop"),
    ],
    "det-may": [
        ("Khăn thổ cẩm", "Brocade scarf", 250_000, "single", "hop"),
        ("Áo lụa tơ tằm", "Silk blouse", 900_000, "single", "hop"),
    ],
    "cay-canh": [
        ("Cây bonsai", "Bonsai tree", 800_000, "single", "khong-dong-goi"),
        ("Cây mai vàng", "Yellow apricot tree", 1_500_000, "single", "khong-dong-goi"),
    ],
    "hoa": [
        ("Lan hồ điệp", "Phalaenopsis orchid", 350_000, "single", "khong-dong-goi"),
        ("Đào thế", "Shaped peach blossom", 1_200_000, "single", "khong-dong-goi"),
    ],
    "dong-vat-canh": [("Cá Koi giống", "Koi fry", 300_000, "single", "khong-dong-goi")],
    "du-lich-cong-dong": [
        (
            "Trải nghiệm homestay bản làng",
            "Village homestay experience",
            500_000,
            "single",
            "khong-dong-goi",
        ),
        ("Tour làng nghề truyền thống", "Craft village tour", 350_000, "single", "khong-dong-goi"),
    ],
    "du-lich-sinh-thai": [
        ("Tour sinh thái miệt vườn", "Orchard eco-tour", 400_000, "single", "khong-dong-goi")
    ],
    "diem-du-lich": [("Vé tham quan", "Admission ticket", 100_000, "single", "khong-dong-goi")],
}
PRODUCER_TYPE_WEIGHTS = {
    ProducerType.ENTERPRISE: 37,
    ProducerType.COOPERATIVE: 22,
    ProducerType.HOUSEHOLD_BUSINESS: 38,
    ProducerType.COOPERATIVE_GROUP: 3,
}
FAMILY_NAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
MIDDLE_NAMES = ["Văn", "Thị", "Đức", "Minh", "Thanh", "Hữu", "Ngọc", "Quang"]
GIVEN_NAMES = [
    "An",
    "Bình",
    "Dũng",
    "Hà",
    "Hải",
    "Hương",
    "Lan",
    "Long",
    "Mai",
    "Nam",
    "Phúc",
    "Sơn",
    "Thảo",
    "Trung",
    "Tuấn",
    "Xuân",
]
ENTERPRISE_TRADES = ["Nông sản", "Thực phẩm", "Đặc sản", "Thương mại và Dịch vụ", "Dược liệu"]
COOPERATIVE_TRADES = [
    "nông nghiệp",
    "dịch vụ nông nghiệp",
    "sản xuất và kinh doanh",
    "nông nghiệp hữu cơ",
]
