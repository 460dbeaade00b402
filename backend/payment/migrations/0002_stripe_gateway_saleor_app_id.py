"""The Stripe gateway now carries Saleor's Stripe app id, which Saleor's storefront recognises:
rename the id on existing transactions and orders so their webhooks and refunds still find them."""

from django.db import migrations

OLD_ID = "ocop.payments.stripe"
NEW_ID = "saleor.app.payment.stripe"


def rename(apps, old, new):
    apps.get_model("payment", "TransactionItem").objects.filter(gateway=old).update(gateway=new)
    apps.get_model("order", "Order").objects.filter(payment_gateway=old).update(
        payment_gateway=new
    )


class Migration(migrations.Migration):
    dependencies = [
        ("order", "0001_initial"),
        ("payment", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(
            lambda apps, _schema: rename(apps, OLD_ID, NEW_ID),
            lambda apps, _schema: rename(apps, NEW_ID, OLD_ID),
        )
    ]
