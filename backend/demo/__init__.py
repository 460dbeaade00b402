"""Demo data shared by the `populatedb` and `generate_catalog` commands: the catalogue structure
(channels, OCOP groups, product types, attributes), EditorJS text and locally drawn images."""
