"""A stand-in Kaltura API v3 server for tests and demos; imports nothing from kaltura_app_token."""
from .faults import Fault
from .server import Sandbox

__all__ = ["Sandbox", "Fault"]
