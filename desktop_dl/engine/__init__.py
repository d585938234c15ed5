"""Keras building and training, ONNX export, ONNX Runtime inference. No Qt here."""
