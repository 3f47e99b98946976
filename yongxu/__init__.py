"""Yongxu (永续): a self-hosted automatic digital-goods shop."""

__version__ = "0.1.0"
