"""The Model tab: layer palette, layer stack, properties, summary, explanations."""
