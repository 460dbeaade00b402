"""The listing index's default-order indexes (in a channel, in a category) carry every filtered
column, so filtered pages and their counts are read from the index alone."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("channel", "0001_initial"),
        ("ocop", "0003_certifications"),
        ("product", "0005_listing_index_name_prefix"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="productlistingindex",
            name="listing_index_slug",
        ),
        migrations.RemoveIndex(
            model_name="productlistingindex",
            name="listing_index_category",
        ),
        migrations.AddIndex(
            model_name="productlistingindex",
            index=models.Index(
                fields=["channel", "slug", "product"],
                include=(
                    "published_at",
                    "category",
                    "product_type",
                    "province",
                    "producer_type",
                    "badge_stars",
                    "badge_until",
                    "price",
                    "in_stock",
                    "attribute_values",
                ),
                name="listing_index_slug",
            ),
        ),
        migrations.AddIndex(
            model_name="productlistingindex",
            index=models.Index(
                fields=["channel", "category", "slug", "product"],
                include=(
                    "published_at",
                    "product_type",
                    "province",
                    "producer_type",
                    "badge_stars",
                    "badge_until",
                    "price",
                    "in_stock",
                    "attribute_values",
                ),
                name="listing_index_category",
            ),
        ),
    ]
