from placewise.sharing.models.organisation import Membership, Organisation

__all__ = ["Membership", "Organisation"]
