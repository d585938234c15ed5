"""The Draw tab: canvas, recognition, probability bars, activations."""
