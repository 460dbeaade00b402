"""Filter inputs of the catalogue's lists, as Saleor names them, and their translation: product
filters into the catalogue query's `ProductFilter` (backend/product/catalogue/), the others into
querysets."""
