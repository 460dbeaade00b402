import uuid

from django.db import migrations, models


def give_each_order_a_token(apps, schema_editor):
    Order = apps.get_model("order", "Order")
    for order in Order.objects.filter(token__isnull=True).only("pk").iterator():
        Order.objects.filter(pk=order.pk).update(token=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [("order", "0003_order_number_sequence")]

    operations = [
        migrations.AddField(
            model_name="order",
            name="token",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(give_each_order_a_token, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="order",
            name="token",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
