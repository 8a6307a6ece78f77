"""TAMA Desk: the office desktop application of an industrial-cluster association."""

__version__ = "0.1.0"
APP_NAME = "TAMA Desk"
