"""The demo base map of Liangxi district (数字城市运行图): layers generated from hand-drawn
outlines and the catalog's street centroids, nothing downloaded."""

from .layers import LAYERS, LayerBody, feature_collection, layer_body, layer_ids, map_config

__all__ = ["LAYERS", "LayerBody", "feature_collection", "layer_body", "layer_ids",
           "map_config"]
