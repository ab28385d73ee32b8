"""Create, inspect, rotate and revoke Kaltura application tokens; the scripts are thin over this."""

__version__ = "0.1.0"
