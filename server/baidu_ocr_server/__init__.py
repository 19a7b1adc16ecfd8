"""The local Baidu-compatible OCR service."""
