from placewise.sharing.models.agreement import Agreement, Party, SharedDataset
from placewise.sharing.models.audit import AuditEntry, AuditHead
from placewise.sharing.models.opt_out import OptOut
from placewise.sharing.models.organisation import Membership, Organisation
from placewise.sharing.models.second_factor import SecondFactor
from placewise.sharing.models.version import Version

__all__ = [
    "Agreement",
    "AuditEntry",
    "AuditHead",
    "Membership",
    "OptOut",
    "Organisation",
    "Party",
    "SecondFactor",
    "SharedDataset",
    "Version",
]
