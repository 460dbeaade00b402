"""The office console's dashboard (/admin/dashboard/): the figures of backend.ocop.dashboard as
tables with bar charts (inline SVG, drawn on the server), for a period chosen in a GET form, and
each table as a CSV or XLSX download. Staff only, through the admin site's own gate."""

import csv
import io
from dataclasses import dataclass

from django import forms
from django.contrib import admin
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Font

from backend.core.money import format_money
from backend.ocop import dashboard

PAGE_ROWS = 100  # rows a table shows on the page; the downloads have them all
MONEY, DATE = "money", "date"


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("The start of the period must not be after its end."))
        return data


def chosen_period(request) -> tuple[PeriodForm, dashboard.Period]:
    """The period in the query string, or the last 30 days when none or an invalid one is given."""
    default = dashboard.Period.last_days()
    if "start" not in request.GET and "end" not in request.GET:
        form = PeriodForm(initial={"start": default.start, "end": default.end})
        return form, default
    form = PeriodForm(request.GET)
    if form.is_valid():
        return form, dashboard.Period(form.cleaned_data["start"], form.cleaned_data["end"])
    return form, default


def stars_label(stars) -> str:
    return f"{stars} ★" if stars else str(_("No badge"))


class Report:
    """The figures of one request, for today and `period`: the catalogue counts are read once
    for their two tables."""

    def __init__(self, period: dashboard.Period):
        self.day = timezone.localdate()
        self.period = period

    @cached_property
    def catalogue(self) -> dashboard.Catalogue:
        return dashboard.catalogue(self.day)


@dataclass(frozen=True)
class Table:
    """A figure as a table: its columns ((heading, kind)), the column its bars draw, and how its
    rows are read (plain values: integers, dates, strings)."""

    title: str
    columns: tuple
    rows: object  # Report -> list of tuples
    bar: int | None = None
    in_period: bool = False

    def headings(self) -> list[str]:
        return [str(heading) for heading, _kind in self.columns]


TABLES = {
    "provinces": Table(
        _("Producers and products by province"),
        (
            (_("Province or city"), None),
            (_("Producers"), None),
            (_("Products"), None),
            (_("3-star products"), None),
            (_("4-star products"), None),
            (_("5-star products"), None),
        ),
        lambda report: [
            (row.province, row.producers, row.products, *row.stars.values())
            for row in report.catalogue.provinces
        ],
        bar=2,
    ),
    "stars": Table(
        _("Products and producers by stars"),
        ((_("Stars"), None), (_("Products"), None), (_("Producers"), None)),
        lambda report: [
            (stars_label(row.stars), row.products, row.producers) for row in report.catalogue.stars
        ],
        bar=1,
    ),
    "sales-provinces": Table(
        _("Sales by province"),
        (
            (_("Province or city"), None),
            (_("Orders"), None),
            (_("Units"), None),
            (_("Revenue (VND)"), MONEY),
        ),
        lambda report: [
            (row.name, row.orders, row.units, row.revenue)
            for row in dashboard.sales_by_province(report.period)
        ],
        bar=3,
        in_period=True,
    ),
    "sales-producers": Table(
        _("Sales by producer"),
        (
            (_("Producer"), None),
            (_("Province or city"), None),
            (_("Orders"), None),
            (_("Units"), None),
            (_("Revenue (VND)"), MONEY),
        ),
        lambda report: [
            (row.name, row.province, row.orders, row.units, row.revenue)
            for row in dashboard.sales_by_producer(report.period)
        ],
        bar=4,
        in_period=True,
    ),
    "expiring": Table(
        _("Certifications expiring in the next 90 days"),
        (
            (_("Product"), None),
            (_("Producer"), None),
            (_("Province or city"), None),
            (_("Stars"), None),
            (_("Decision number"), None),
            (_("Valid until"), DATE),
        ),
        lambda report: [
            (
                c.product.name,
                c.producer.name,
                c.producer.province.name,
                c.stars,
                c.decision_number,
                c.valid_until,
            )
            for c in dashboard.expiring_certifications(report.day)
        ],
    ),
    "without-badge": Table(
        _("Producers without a verified certification in force"),
        (
            (_("Producer"), None),
            (_("Province or city"), None),
            (_("Producer verification"), None),
            (_("Products"), None),
            (_("Certifications awaiting verification"), None),
        ),
        lambda report: [
            (
                p.name,
                p.province.name,
                str(p.get_verification_status_display()),
                p.product_count,
                p.pending_count,
            )
            for p in dashboard.producers_without_badge(report.day)
        ],
    ),
    "stock-outs": Table(
        _("Out of stock products"),
        ((_("Product"), None), (_("Producer"), None), (_("Province or city"), None)),
        lambda report: [
            (
                p.name,
                p.producer.name if p.producer else "",
                p.producer.province.name if p.producer else "",
            )
            for p in dashboard.stock_outs()
        ],
    ),
}


def display(value, kind) -> str:
    if kind == MONEY:
        return format_money(value, dashboard.CURRENCY)
    if kind == DATE:
        return date_format(value, "SHORT_DATE_FORMAT")
    return value


def page_table(key: str, table: Table, rows: list) -> dict:
    """A table as the page shows it: formatted cells and each row's bar as a share of the
    largest value."""
    largest = max((row[table.bar] for row in rows), default=0) if table.bar is not None else 0
    shown = [
        {
            "cells": [
                {"text": display(value, kind), "number": kind == MONEY or isinstance(value, int)}
                for value, (_heading, kind) in zip(row, table.columns, strict=True)
            ],
            "bar": round(100 * row[table.bar] / largest, 1) if largest else None,
        }
        for row in rows[:PAGE_ROWS]
    ]
    return {
        "key": key,
        "title": table.title,
        "headings": table.headings(),
        "rows": shown,
        "count": len(rows),
        "more": len(rows) > PAGE_ROWS,
        "chart": table.bar is not None,
        "in_period": table.in_period,
    }


def dashboard_view(request):
    form, period = chosen_period(request)
    report = Report(period)
    tables = [page_table(key, table, table.rows(report)) for key, table in TABLES.items()]
    context = {
        **admin.site.each_context(request),
        "title": _("OCOP programme dashboard"),
        "form": form,
        "period": period,
        "query": f"start={period.start.isoformat()}&end={period.end.isoformat()}",
        "tables": tables,
        "page_rows": PAGE_ROWS,
    }
    return TemplateResponse(request, "admin/ocop/dashboard.html", context)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def as_text(value):
    """A CSV cell a spreadsheet program will not run as a formula: names come from producers,
    so one that starts like a formula gets a leading apostrophe (OWASP's CSV injection advice)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def export_view(request, key: str, fmt: str):
    """One table, every row, as CSV (UTF-8 with a BOM, which spreadsheet programs read as
    UTF-8) or XLSX; money as whole đồng."""
    table = TABLES.get(key)
    if table is None or fmt not in ("csv", "xlsx"):
        raise Http404
    _form, period = chosen_period(request)
    rows = table.rows(Report(period))
    suffix = f"-{period.start.isoformat()}-{period.end.isoformat()}" if table.in_period else ""
    filename = f"ocop-{key}{suffix}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow(table.headings())
        writer.writerows([[as_text(value) for value in row] for row in rows])
    else:
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = key
        sheet.append(table.headings())
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(row)
            for cell in sheet[sheet.max_row]:
                if cell.data_type == "f":  # a name that starts with "=" stays a name
                    cell.data_type = "s"
        for column, (_heading, kind) in enumerate(table.columns, start=1):
            if kind == MONEY:
                for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
                    cell.number_format = "#,##0"
        content = io.BytesIO()
        workbook.save(content)
        response = HttpResponse(
            content.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


urlpatterns = [
    path("", admin.site.admin_view(dashboard_view), name="office_dashboard"),
    path(
        "<slug:key>.<str:fmt>",
        admin.site.admin_view(export_view),
        name="office_dashboard_export",
    ),
]
