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
