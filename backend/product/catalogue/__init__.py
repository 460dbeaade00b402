"""The catalogue query of the product domain: one filter engine (`ProductFilter` → conditions on
products or listing index rows), the orders of product lists, search, counting and facets."""
