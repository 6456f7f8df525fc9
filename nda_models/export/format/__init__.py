"""The bundle's format, shared by writer and reader: its files, metadata.json
and its schema, checksums, JSON values and what model.onnx may contain."""
