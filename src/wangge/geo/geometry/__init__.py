"""Everything that touches Shapely and pyproj lives in this package.

The rest of the project passes GeoJSON dicts, codes and ids; only these modules (and the
delineation engine) know that geometries are Shapely objects.
"""
