"""The office console's name, in the language the clerk chose (Vietnamese first), and what
the domains' admins share."""

from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("OCOP coordination office console")
admin.site.site_title = _("OCOP office")
admin.site.index_title = _("Dashboard")
# The index lists every model; the sidebar would leave a phone or a laptop too little width.
admin.site.enable_nav_sidebar = False


def action_form_page(modeladmin, request, queryset, form, title):
    """The intermediate page an admin action shows to ask for more (a reason, a resolution)
    before it applies to the selected objects; the form posts back to the same action."""
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "opts": modeladmin.model._meta,
        "queryset": queryset,
        "form": form,
        "action": request.POST.get("action"),
        "action_checkbox_name": ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/ocop/reason_form.html", context)
