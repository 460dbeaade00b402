"""Translation types of the catalog (`translation(languageCode:)`), and the Vietnamese source
read as one."""

import graphene

from backend.graphql.core.enums import LanguageCodeEnum
from backend.graphql.core.types import LanguageDisplay, TranslationResolvers


def _translation_type(
    name: str, with_slug_and_seo: bool, description_field: str | None, name_required=False
):
    fields = {
        "id": graphene.ID(required=True),
        "language": graphene.Field(LanguageDisplay, required=True),
        "name": graphene.String(required=name_required),
    }
    if with_slug_and_seo:
        fields["slug"] = graphene.String()
        fields["seo_title"] = graphene.String()
        fields["seo_description"] = graphene.String()
    if description_field:
        fields[description_field] = graphene.JSONString()
        fields[f"resolve_{description_field}"] = staticmethod(lambda root, _info: root.description)
    return type(name, (TranslationResolvers, graphene.ObjectType), fields)


ProductTranslation = _translation_type("ProductTranslation", True, "description")
CategoryTranslation = _translation_type("CategoryTranslation", True, "description")
CollectionTranslation = _translation_type("CollectionTranslation", True, "description")
ProductVariantTranslation = _translation_type(
    "ProductVariantTranslation", False, None, name_required=True
)


def source_with(model, **relation):
    """Vietnamese "translation": the object's own text, as an unsaved translation row."""

    def build(instance):
        fields = {"name": instance.name}
        for field in ("slug", "seo_title", "seo_description", "description"):
            if hasattr(model, field) and hasattr(instance, field):
                fields[field] = getattr(instance, field)
        return model(**{key: instance for key in relation}, **fields)

    return build


def translation_field(type_):
    return graphene.Field(type_, language_code=graphene.Argument(LanguageCodeEnum, required=True))
