"""Demo accounts (the office admin, one member login per demo producer), content pages and the
storefront's `navbar` and `footer` menus."""

from django.utils import timezone

from backend.account.models import User
from backend.demo.editorjs import editorjs
from backend.menu.models import Menu, MenuItem, MenuItemTranslation
from backend.page.models import Page, PageTranslation, PageType

ADMIN_EMAIL = "admin@example.com"
ADMIN_PASSWORD = "admin"  # as Saleor's demo; for local demo databases only
PRODUCER_PASSWORD = "ocop-demo-2025"

PAGES = [
    # slug, title, content, English title, English content
    (
        "gioi-thieu",
        "Giới thiệu",
        [
            "OCOP Market là chợ trực tuyến của các sản phẩm đạt chứng nhận OCOP (Mỗi xã một sản "
            "phẩm) từ 3 đến 5 sao, bán trực tiếp từ hợp tác xã, doanh nghiệp và hộ kinh doanh.",
            "Mỗi sản phẩm ghi rõ chủ thể sản xuất, tỉnh, thành phố và hạng sao còn hiệu lực.",
        ],
        "About us",
        [
            "OCOP Market is the online market for products certified 3 to 5 stars under the "
            "One Commune One Product programme, sold directly by cooperatives, enterprises and "
            "household businesses.",
            "Every product names its producer, its province and its valid star rating.",
        ],
    ),
    (
        "chinh-sach-giao-hang",
        "Chính sách giao hàng",
        [
            "Giao hàng toàn quốc qua đơn vị vận chuyển; phí tính theo khu vực và khối lượng.",
            "Nhận hàng miễn phí tại các điểm bán OCOP của tỉnh, thành phố khi đặt hàng trực tuyến.",
            "Sinh vật cảnh chỉ giao trong phạm vi hạn chế; dịch vụ du lịch không cần giao hàng.",
        ],
        "Delivery policy",
        [
            "Nationwide delivery by carrier; fees depend on the zone and the weight.",
            "Free pick-up at the province's OCOP showrooms for online orders.",
            "Live plants and animals ship within limited areas; tourism services need no delivery.",
        ],
    ),
    (
        "chinh-sach-doi-tra",
        "Chính sách đổi trả",
        [
            "Khi nhận hàng thanh toán khi nhận hàng (COD), bạn được kiểm tra ngoại quan trước khi "
            "trả tiền; nếu hàng không đúng mô tả, bị vỡ, móp hoặc rò rỉ, hãy từ chối nhận và báo "
            "cho chúng tôi.",
            "Trong 7 ngày kể từ khi nhận hàng, bạn được đổi hoặc trả sản phẩm giao sai, hư hỏng "
            "do vận chuyển, hết hạn sử dụng hoặc không đúng mô tả trên trang sản phẩm. Vui lòng "
            "giữ nguyên bao bì, tem OCOP và gửi kèm ảnh hoặc video mở hộp.",
            "Thực phẩm tươi, sinh vật cảnh và đồ uống có cồn đã mở nắp không áp dụng đổi trả vì "
            "lý do cá nhân. Dịch vụ du lịch cộng đồng được hủy theo điều kiện ghi trên từng "
            "dịch vụ.",
            "Tiền hoàn được chuyển khoản về tài khoản ngân hàng của bạn trong 7 ngày làm việc sau "
            "khi chủ thể sản xuất nhận lại hàng; phí gửi trả do bên có lỗi chịu.",
        ],
        "Returns policy",
        [
            "With cash on delivery (COD) you may inspect the parcel before paying; if the goods "
            "are not as described, broken, dented or leaking, refuse the delivery and tell us.",
            "Within 7 days of delivery you may exchange or return a product that was the wrong "
            "item, damaged in transit, past its use-by date or not as described on its product "
            "page. Please keep the packaging and the OCOP stamp and send a photo or an unboxing "
            "video.",
            "Fresh food, live plants and animals, and opened alcoholic drinks cannot be returned "
            "for a change of mind. Community tourism services are cancelled on the terms stated "
            "on each service.",
            "Refunds are paid by bank transfer to your account within 7 working days of the "
            "producer receiving the goods back; return shipping is paid by whoever was at fault.",
        ],
    ),
    (
        "chinh-sach-bao-mat",
        "Chính sách bảo mật",
        [
            "Chúng tôi chỉ thu thập thông tin cần để giao hàng và chăm sóc khách hàng: họ tên, số "
            "điện thoại, email, địa chỉ nhận hàng (tỉnh, thành phố và xã, phường) và lịch sử đơn "
            "hàng.",
            "Thông tin giao hàng được chia sẻ với chủ thể sản xuất bán sản phẩm và đơn vị vận "
            "chuyển của đơn hàng đó, không bán hoặc cho bên khác sử dụng vào quảng cáo.",
            "Thanh toán qua VietQR hoặc cổng thanh toán được xử lý tại ngân hàng và cổng thanh "
            "toán; OCOP Market không lưu số thẻ hay mật khẩu ngân hàng của bạn.",
            "Bạn có thể xem, sửa hoặc yêu cầu xóa thông tin cá nhân bằng cách liên hệ đường dây "
            "nóng hoặc email hỗ trợ; chúng tôi xử lý theo quy định của pháp luật Việt Nam về bảo "
            "vệ dữ liệu cá nhân.",
        ],
        "Privacy policy",
        [
            "We collect only what delivery and customer care need: your name, phone number, "
            "email, delivery address (province or city, and commune or ward) and order history.",
            "Delivery details are shared with the producer selling the product and the carrier "
            "of that order; they are never sold or given to others for advertising.",
            "VietQR and gateway payments are handled by the banks and payment gateways; OCOP "
            "Market never stores your card number or banking password.",
            "You may see, correct or ask us to delete your personal data through the hotline or "
            "the support email; we handle requests under Vietnam's personal data protection law.",
        ],
    ),
    (
        "lien-he",
        "Liên hệ",
        [
            "Văn phòng Điều phối Chương trình OCOP tỉnh Ninh Bình (thông tin minh họa cho bản "
            "demo).",
            "Đường dây nóng: 1800 0000 (miễn phí, 7:30–17:00 từ thứ Hai đến thứ Bảy).",
            "Email: hotro@ocop.example",
            "Địa chỉ: số 1 đường Mẫu, phường Hoa Lư, tỉnh Ninh Bình (địa chỉ minh họa).",
            "Phản ánh về sản phẩm, đơn hàng hoặc buổi livestream được trả lời trong 2 ngày làm "
            "việc.",
        ],
        "Contact",
        [
            "Ninh Bình provincial OCOP coordination office (illustrative details for the demo).",
            "Hotline: 1800 0000 (toll-free, 7:30–17:00, Monday to Saturday).",
            "Email: hotro@ocop.example",
            "Address: 1 Mẫu street, Hoa Lư ward, Ninh Bình province (illustrative address).",
            "Complaints about a product, an order or a livestream are answered within 2 working "
            "days.",
        ],
    ),
]


def ensure_admin() -> User:
    admin = User.objects.filter(email=ADMIN_EMAIL).first()
    if admin is None:
        return User.objects.create_superuser(ADMIN_EMAIL, ADMIN_PASSWORD)
    admin.is_staff = admin.is_superuser = admin.is_active = True
    if not admin.check_password(ADMIN_PASSWORD):
        admin.set_password(ADMIN_PASSWORD)
    admin.save()
    return admin


def ensure_producer_member(producer) -> User:
    """The producer's member login: `<producer slug>@demo.ocop.vn`."""
    email = f"{producer.slug}@demo.ocop.vn"
    user = User.objects.filter(email=email).first() or User(email=email)
    user.first_name = producer.name[:256]
    user.is_active = True
    if not user.check_password(PRODUCER_PASSWORD):
        user.set_password(PRODUCER_PASSWORD)
    user.save()
    producer.members.add(user)
    return user


def ensure_pages() -> dict:
    page_type, _ = PageType.objects.update_or_create(
        slug="trang-noi-dung", defaults={"name": "Trang nội dung"}
    )
    pages = {}
    for slug, title, content, title_en, content_en in PAGES:
        page, _ = Page.objects.get_or_create(
            slug=slug,
            defaults={"page_type": page_type, "title": title, "published_at": timezone.now()},
        )
        page.title, page.content, page.is_published = title, editorjs(*content), True
        page.seo_title = title
        page.save()
        PageTranslation.objects.update_or_create(
            page=page,
            language_code="en",
            defaults={"title": title_en, "content": editorjs(*content_en)},
        )
        pages[slug] = page
    return pages


def _ensure_item(menu, name, name_en, order, parent=None, **target) -> MenuItem:
    item, _ = MenuItem.objects.update_or_create(
        menu=menu, parent=parent, name=name, defaults={"sort_order": order, **target}
    )
    MenuItemTranslation.objects.update_or_create(
        menu_item=item, language_code="en", defaults={"name": name_en}
    )
    return item


def ensure_menus(categories: dict, group_slugs: list, pages: dict) -> None:
    """`navbar`: the six OCOP groups. `footer`: headings with children, as the storefront's
    footer renders them."""
    navbar, _ = Menu.objects.get_or_create(slug="navbar", defaults={"name": "navbar"})
    for order, slug in enumerate(group_slugs):
        category = categories[slug]
        english = category.translations.get(language_code="en").name
        _ensure_item(navbar, category.name, english, order, category=category)

    footer, _ = Menu.objects.get_or_create(slug="footer", defaults={"name": "footer"})
    about = _ensure_item(footer, "OCOP Market", "OCOP Market", 0)
    for order, page in enumerate(pages.values()):
        english = page.translations.get(language_code="en").title
        _ensure_item(footer, page.title, english, order, parent=about, page=page)
    groups = _ensure_item(footer, "Nhóm sản phẩm", "Product groups", 1)
    for order, slug in enumerate(group_slugs):
        category = categories[slug]
        english = category.translations.get(language_code="en").name
        _ensure_item(footer, category.name, english, order, parent=groups, category=category)
