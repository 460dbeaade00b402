"""The office console's name, in the language the clerk chose (Vietnamese first)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("OCOP coordination office console")
admin.site.site_title = _("OCOP office")
admin.site.index_title = _("Dashboard")
# The index lists every model; the sidebar would leave a phone or a laptop too little width.
admin.site.enable_nav_sidebar = False
