"""`categoryCreate`."""

import graphene

from backend.graphql.product.mutations.base import (
    CATEGORY_TYPE,
    ProductMutation,
    clean_seo,
    get_optional_node,
    get_uploaded_image,
    given_fields,
)
from backend.graphql.product.mutations.inputs import CategoryInput
from backend.product import models, services


class CategoryCreate(ProductMutation):
    """Categories are the platform's: staff with MANAGE_PRODUCTS only."""

    members_allowed = False
    category = graphene.Field(CATEGORY_TYPE)

    class Arguments:
        input = CategoryInput(required=True, description="Fields required to create a category.")
        parent = graphene.ID(
            description="ID of the parent category. If empty, category will be top level category."
        )

    class Meta:
        description = "Creates a new category."

    @classmethod
    def perform_mutation(cls, _root, info, input, parent=None):
        parent_category = get_optional_node(models.Category.objects, "Category", parent, "parent")
        data = given_fields(input, ("name", "slug", "description", "background_image_alt"))
        if input.get("background_image"):
            data["background_image"] = get_uploaded_image(
                info, input["background_image"], "backgroundImage"
            )
        clean_seo(data, input.get("seo"))
        return cls(category=services.create_category(data, parent_category), errors=[])
