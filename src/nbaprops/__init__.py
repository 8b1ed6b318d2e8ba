"""nbaprops: a self-healing NBA player-prop prediction platform.

The command line (`nbaprops`) is the main interface; this package exports the pieces a script or
notebook needs to work with a home folder directly.
"""

from nbaprops.clock import Clock, SystemClock, VirtualClock
from nbaprops.config import Settings, load_settings
from nbaprops.errors import (
    AlertingError,
    AuditError,
    ConfigError,
    IngestError,
    NbaPropsError,
    OrchestrationError,
    ProcessorError,
    SourceError,
    WarehouseBusyError,
    WarehouseError,
)
from nbaprops.home import Home
from nbaprops.warehouse import Warehouse

__version__ = "0.1.0"

__all__ = [
    "AlertingError",
    "AuditError",
    "Clock",
    "ConfigError",
    "Home",
    "IngestError",
    "NbaPropsError",
    "OrchestrationError",
    "ProcessorError",
    "Settings",
    "SourceError",
    "SystemClock",
    "VirtualClock",
    "Warehouse",
    "WarehouseBusyError",
    "WarehouseError",
    "__version__",
    "load_settings",
]
